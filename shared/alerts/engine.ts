/**
 * Runs the alert rules as files are stored: per site, load the state, apply the samples, save with
 * a version check (retrying on conflict, so concurrent workers never both announce one change),
 * then publish. After each file, the flood-season rule looks at the days the file touched.
 */
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import type { AlertStateStore, Log, Publisher, SampleStore, SiteDay } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import { DEFAULT_ALERT_CONFIG } from './config.js';
import { type DayIndex, baselineDays, checkFluctuation, dayIndex, floodRuleApplies, previousDay } from './flood-rule.js';
import { notificationFor } from './messages.js';
import { type AlertEvent, type EvaluatedSample, type SiteAlertState, applySamples, emptyState } from './site-rules.js';
import type { FluctuationEvent } from './flood-rule.js';

const MAX_ATTEMPTS = 8;

export interface AlertEngineDeps {
  readonly states: AlertStateStore;
  readonly publisher: Publisher;
  readonly registry: SiteRegistry;
  readonly samples: Pick<SampleStore, 'dailyMeans'>;
  readonly config?: AlertConfig;
  readonly zone?: string;
  readonly log?: Log;
}

export class AlertEngine {
  private readonly config: AlertConfig;
  private readonly baselines = new Map<string, DayIndex[]>();

  constructor(private readonly deps: AlertEngineDeps) {
    this.config = deps.config ?? DEFAULT_ALERT_CONFIG;
  }

  /** Applies `change` to a site's state under optimistic locking; publishes what it returns once saved. */
  private async update(site: string, change: (s: SiteAlertState) => { state: SiteAlertState; events: (AlertEvent | FluctuationEvent)[] }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.deps.states.load(site);
      const prior = loaded ? (JSON.parse(loaded.data) as SiteAlertState) : emptyState();
      const { state, events } = change(prior);
      if (await this.deps.states.save(site, JSON.stringify(state), loaded?.version)) {
        const s = this.deps.registry.resolve(site);
        for (const e of events) await this.deps.publisher.publish(notificationFor(e, s, this.deps.zone ?? DEFAULT_ZONE));
        return;
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`alert state of ${site} kept changing under us (${MAX_ATTEMPTS} attempts)`);
    }
  }

  async onStored(batch: readonly EvaluatedSample[]): Promise<void> {
    const bySite = new Map<string, EvaluatedSample[]>();
    for (const x of batch) {
      const list = bySite.get(x.sample.site);
      if (list) list.push(x);
      else bySite.set(x.sample.site, [x]);
    }
    for (const [site, samples] of bySite) await this.update(site, (s) => applySamples(s, site, samples, this.config));
  }

  /** After a file: the flood-season rule on each (section, day) it touched. */
  async afterFile(days: readonly SiteDay[]): Promise<void> {
    try {
      await this.checkDays(days);
    } finally {
      this.baselines.clear(); // later files may add baseline days; cache within one file only
    }
  }

  private async checkDays(days: readonly SiteDay[]): Promise<void> {
    const touched = new Map<string, Set<string>>();
    for (const p of days) {
      const site = this.deps.registry.resolve(p.site);
      if (site.kind === 'effluent-outlet') continue; // sections only: the plant is judged sample by sample
      (touched.get(p.site) ?? touched.set(p.site, new Set()).get(p.site)!).add(p.day);
    }
    for (const [siteId, days] of touched) {
      const site = this.deps.registry.resolve(siteId);
      for (const day of [...days].sort()) {
        if (!floodRuleApplies(day, this.config)) continue; // no reads for days the rule ignores
        const [today] = await this.indexes(siteId, day, day);
        if (!today) continue;
        const [yesterday] = await this.indexes(siteId, previousDay(day), previousDay(day));
        const event = checkFluctuation(site, today, yesterday, await this.baseline(siteId, day), this.config);
        if (!event) continue;
        await this.update(siteId, (s) => {
          if (s.fluctuationDays.includes(day)) return { state: s, events: [] };
          return { state: { ...s, fluctuationDays: [...s.fluctuationDays, day].slice(-400) }, events: [event] };
        });
      }
    }
  }

  private async indexes(siteId: string, from: string, to: string): Promise<DayIndex[]> {
    const site = this.deps.registry.resolve(siteId);
    const means = await this.deps.samples.dailyMeans(siteId, from, to);
    return means.flatMap((m) => dayIndex(m.period, m.means, site) ?? []);
  }

  private async baseline(siteId: string, day: string): Promise<DayIndex[]> {
    const range = baselineDays(day, this.config);
    const key = `${siteId}|${range.from}`;
    let b = this.baselines.get(key);
    if (!b) {
      b = await this.indexes(siteId, range.from, range.to);
      this.baselines.set(key, b);
    }
    return b;
  }
}

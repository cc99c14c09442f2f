/**
 * Runs the alert rules as files are stored: per site, the stored samples go through the rules and
 * what they announce is committed with the state and sent (state-commit.ts, through the notifier's
 * durable outbox). After each file: the flood-season rule on the days it touched, and the digest
 * of its late exceedances. The watchdog's silence checks go through the same state.
 */
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import { ALERT_MAX_FLUCTUATION_DAYS } from '../limits.js';
import type { AlertStateStore, Log, OutboxPage, SampleStore, SiteDay } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import { DEFAULT_ALERT_CONFIG } from './config.js';
import type { AnyEvent } from './events.js';
import { type DayIndex, baselineDays, checkFluctuation, dayIndex, floodRuleApplies, previousDay } from './flood-rule.js';
import { notificationsFor } from './messages.js';
import type { Notifier, PageVerdict } from './notifier.js';
import { latestOnline } from './online.js';
import { checkStationSilence, isSilent } from './silence.js';
import { applySamples, takeLate } from './site-rules.js';
import type { SiteAlertState } from './site-state.js';
import { StateCommit } from './state-commit.js';

export interface AlertEngineDeps {
  readonly states: AlertStateStore;
  readonly notifier: Notifier;
  readonly registry: SiteRegistry;
  readonly samples: Pick<SampleStore, 'dailyMeans'>;
  readonly config?: AlertConfig;
  readonly zone?: string;
  readonly log?: Log;
  /** Pause between lost state writes (tests make it instant). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A station as the watchdog judged it. */
export interface SilenceCheck {
  readonly silent: boolean;
  /** Its latest online reading before the time judged, when that is older than the gap. */
  readonly latest?: number;
  /** It has an online reading at most the gap before the time judged. */
  readonly online: boolean;
}

export class AlertEngine {
  private readonly config: AlertConfig;
  private readonly commit: StateCommit;
  private readonly baselines = new Map<string, DayIndex[]>();

  constructor(private readonly deps: AlertEngineDeps) {
    this.config = deps.config ?? DEFAULT_ALERT_CONFIG;
    this.commit = new StateCommit(deps.states, deps.notifier, deps.sleep);
  }

  /** Applies `change` to a site's state; what it announces is committed with it and sent. */
  private update(site: string, change: (s: SiteAlertState) => { state: SiteAlertState; events: readonly AnyEvent[] }): Promise<void> {
    const resolved = this.deps.registry.resolve(site);
    return this.commit.update(site, (prior) => {
      const { state, events } = change(prior);
      return { state, notifications: notificationsFor(events, resolved, this.deps.zone ?? DEFAULT_ZONE, this.config) };
    });
  }

  async onStored(batch: readonly EvaluatedSample[]): Promise<void> {
    const bySite = new Map<string, EvaluatedSample[]>();
    for (const x of batch) {
      const list = bySite.get(x.sample.site);
      if (list) list.push(x);
      else bySite.set(x.sample.site, [x]);
    }
    for (const [site, samples] of bySite) {
      const resolved = this.deps.registry.resolve(site);
      await this.update(site, (s) => applySamples(s, resolved, samples, this.config));
    }
  }

  /** The watchdog: is the station silent at `at`, by its online readings before `at`? Announced if so. */
  async checkSilence(site: string, at: number): Promise<SilenceCheck> {
    let seen: ReturnType<typeof latestOnline> = { inside: false };
    await this.update(site, (s) => {
      seen = latestOnline(s, at);
      return checkStationSilence(s, site, at, this.config);
    });
    return {
      silent: !seen.inside && isSilent(seen.end, at, this.config),
      online: seen.inside,
      ...(seen.end !== undefined ? { latest: seen.end } : {}),
    };
  }

  /** After a file: the flood-season rule on each (section, day) it touched. */
  async afterFile(days: readonly SiteDay[]): Promise<void> {
    try {
      await this.checkDays(days);
    } finally {
      this.baselines.clear(); // later files may add baseline days; cache within one file only
    }
  }

  /** A file is finished (stored, or quarantined part-way): the digest of its late exceedances, per site. */
  async fileFinished(file: string, sites: Iterable<string>): Promise<void> {
    for (const site of new Set(sites)) await this.update(site, (s) => takeLate(s, site, file));
  }

  /** How a tentative outbox page of a site turned out (the notifier's sweep asks). */
  resolvePage(page: OutboxPage): Promise<PageVerdict> {
    return this.commit.resolvePage(page);
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
          return { state: { ...s, fluctuationDays: [...s.fluctuationDays, day].slice(-ALERT_MAX_FLUCTUATION_DAYS) }, events: [event] };
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

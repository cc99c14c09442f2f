/**
 * Runs the alert rules as files are stored: per site, load the state, apply the samples, save with
 * a version check (retrying on conflict, so concurrent workers never both announce one change),
 * then publish. After each file, the flood-season rule looks at the days the file touched.
 *
 * Notifications are saved in the state (an outbox) in the same write as the change that caused them
 * and taken out once SNS has them: if publishing fails, the message is not lost — the worker's
 * message is retried, and the next update of that site sends what is still queued.
 */
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import type { AlertStateStore, Log, Notification, Publisher, SampleStore, SiteDay } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import { DEFAULT_ALERT_CONFIG } from './config.js';
import { type DayIndex, baselineDays, checkFluctuation, dayIndex, floodRuleApplies, previousDay } from './flood-rule.js';
import { notificationFor } from './messages.js';
import { checkSilence, isSilent } from './silence.js';
import type { EvaluatedSample } from '../domain/evaluate.js';
import { type AlertEvent, type SiteAlertState, applySamples, emptyState } from './site-rules.js';
import type { FluctuationEvent } from './flood-rule.js';

const MAX_ATTEMPTS = 8;
/** A queued notification older than this is another worker's that was never confirmed sent: send it. */
const OUTBOX_STALE_MS = 60_000;
/**
 * At most this many notifications ride in a site's state (a DynamoDB item holds 400 KB; one
 * notification is up to ~2 KB). A burst beyond it in one update is published straight after the
 * save, as before the queue existed — such a burst is noise from one file, not a lone exceedance.
 */
const MAX_QUEUED = 50;

interface Queued {
  readonly id: string;
  readonly at: number;
  readonly n: Notification;
}

type StoredState = SiteAlertState & { outbox?: Queued[] };

/** The state as stored: the queue only when something is in it. */
const withOutbox = (state: SiteAlertState, outbox: Queued[]): StoredState => (outbox.length > 0 ? { ...state, outbox } : state);

export interface AlertEngineDeps {
  readonly states: AlertStateStore;
  readonly publisher: Publisher;
  readonly registry: SiteRegistry;
  readonly samples: Pick<SampleStore, 'dailyMeans'>;
  readonly config?: AlertConfig;
  readonly zone?: string;
  readonly log?: Log;
  readonly now?: () => number;
  readonly newId?: () => string;
}

export class AlertEngine {
  private readonly config: AlertConfig;
  private readonly baselines = new Map<string, DayIndex[]>();

  constructor(private readonly deps: AlertEngineDeps) {
    this.config = deps.config ?? DEFAULT_ALERT_CONFIG;
  }

  /**
   * Loads a site's stored state, lets `write` derive the next one (undefined: nothing to write) and
   * saves it under a version check, again from a fresh load whenever another worker wrote first.
   */
  private async modify(site: string, write: (stored: StoredState | undefined) => StoredState | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.deps.states.load(site);
      const next = write(loaded ? (JSON.parse(loaded.data) as StoredState) : undefined);
      if (next === undefined || (await this.deps.states.save(site, JSON.stringify(next), loaded?.version))) return;
      if (attempt >= MAX_ATTEMPTS) throw new Error(`alert state of ${site} kept changing under us (${MAX_ATTEMPTS} attempts)`);
    }
  }

  /**
   * Applies `change` to a site's state under optimistic locking; what it announces is queued in the
   * same write, then published and taken out of the queue.
   */
  private async update(site: string, change: (s: SiteAlertState) => { state: SiteAlertState; events: (AlertEvent | FluctuationEvent)[] }): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const newId = this.deps.newId ?? (() => crypto.randomUUID());
    const s = this.deps.registry.resolve(site);
    // From the attempt that was saved: what to send now, and what did not fit in the queue.
    let due: Queued[] = [];
    let unqueued: Queued[] = [];
    await this.modify(site, (stored) => {
      const { outbox: queued = [], ...prior }: StoredState = stored ?? emptyState();
      const { state, events } = change(prior);
      const at = now();
      const fresh = events.map((e): Queued => ({ id: newId(), at, n: notificationFor(e, s, this.deps.zone ?? DEFAULT_ZONE) }));
      const room = Math.max(0, MAX_QUEUED - queued.length);
      const queuedNow = fresh.slice(0, room);
      unqueued = fresh.slice(room);
      // Ours now; another worker's only when it has had ample time to send them itself.
      due = [...queued.filter((q) => at - q.at >= OUTBOX_STALE_MS), ...queuedNow];
      return withOutbox(state, [...queued, ...queuedNow]);
    });
    await this.send(site, due);
    for (const q of unqueued) await this.deps.publisher.publish(q.n);
  }

  /** Publishes in order, then takes what was sent out of the queue; a failure is raised after that. */
  private async send(site: string, due: readonly Queued[]): Promise<void> {
    if (due.length === 0) return;
    const sent = new Set<string>();
    let failure: unknown;
    for (const q of due) {
      try {
        await this.deps.publisher.publish(q.n);
        sent.add(q.id);
      } catch (err) {
        failure = err;
        this.deps.log?.error('publishing failed; the notification stays queued in the alert state', { site, error: (err as Error).message });
        break;
      }
    }
    if (sent.size > 0) {
      await this.modify(site, (stored) => {
        if (!stored) return undefined;
        const { outbox = [], ...state } = stored;
        return withOutbox(state, outbox.filter((q) => !sent.has(q.id)));
      });
    }
    if (failure !== undefined) throw failure;
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

  /** The watchdog: an online station silent since `latest` (its last sample) is announced now. Whether it is silent. */
  async checkSilence(site: string, latest: number | undefined, now: number): Promise<boolean> {
    await this.update(site, (s) => checkSilence(s, site, latest, now, this.config));
    return isSilent(latest, now, this.config);
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

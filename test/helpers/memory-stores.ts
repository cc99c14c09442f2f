/**
 * In-memory stand-ins for the alert engine's ports, for scenario tests that run a whole year in
 * seconds. The DynamoDB-backed versions are exercised by the integration tests.
 */
import { silentLog } from '../../shared/adapters/silent-log.js';
import { Notifier, type NotifierDeps } from '../../shared/alerts/notifier.js';
import { dailyMeans } from '../../shared/domain/period-means.js';
import type { ParamId } from '../../shared/domain/parameters.js';
import type {
  AlertStateStore, DayPart, Notification, NotificationOutbox, OutboxPage, PageRef, PeriodMeans, Publisher, SampleStore, StoredSample,
} from '../../shared/ports/index.js';

export class MemoryStateStore implements AlertStateStore {
  readonly items = new Map<string, { data: string; version: number }>();
  /** Set to make the next save of a site fail once, as if another worker had written first. */
  conflictOnce = new Set<string>();

  async load(site: string) {
    return this.items.get(site);
  }

  async save(site: string, data: string, expectedVersion: number | undefined): Promise<boolean> {
    const cur = this.items.get(site);
    if ((cur?.version) !== expectedVersion) return false;
    this.items.set(site, { data, version: (expectedVersion ?? 0) + 1 });
    return true;
  }
}

export class MemoryDays {
  private readonly parts = new Map<string, DayPart>();

  add(parts: readonly DayPart[]): void {
    for (const p of parts) this.parts.set(`${p.site}|${p.day}|${p.fileId}|${p.segment}`, p);
  }

  async dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]> {
    return dailyMeans([...this.parts.values()].filter((p) => p.site === site && p.day >= fromDay && p.day <= toDay));
  }
}

export class MemoryPublisher implements Publisher {
  readonly sent: Notification[] = [];
  async publish(n: Notification): Promise<void> {
    this.sent.push(n);
  }
}

/**
 * The reads the monthly bulletin makes (daily means, a site's samples, the sites reporting in a
 * month), over day parts and samples held in memory, for hand-worked scenarios.
 */
export class MemorySupervisionStore implements Pick<SampleStore, 'dailyMeans' | 'querySite' | 'sitesReporting'> {
  readonly parts: DayPart[] = [];
  readonly samples: StoredSample[] = [];
  readonly reads: string[] = [];

  /** One day part with these values as sums of one valid value each. */
  day(site: string, day: string, values: Partial<Record<ParamId, number>>, samples = 1): this {
    const counts = Object.fromEntries(Object.keys(values).map((p) => [p, 1]));
    this.parts.push({ site, day, fileId: 'mem/f', segment: this.parts.length, sums: { ...values }, counts, samples });
    return this;
  }

  async dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]> {
    this.reads.push(`${site} ${fromDay}..${toDay}`);
    return dailyMeans(this.parts.filter((p) => p.site === site && p.day >= fromDay && p.day <= toDay));
  }

  async *querySite(site: string, from = 0, to = Number.MAX_SAFE_INTEGER): AsyncIterable<StoredSample> {
    for (const s of [...this.samples].sort((a, b) => a.sample.time - b.sample.time)) {
      if (s.sample.site === site && s.sample.time >= from && s.sample.time <= to) yield s;
    }
  }

  async sitesReporting(month: string): Promise<string[]> {
    return [...new Set(this.parts.filter((p) => p.day.startsWith(month)).map((p) => p.site))].sort();
  }
}
type StoredPage = OutboxPage & { mark?: boolean; claimedBy?: string; done?: boolean };

/** The outbox in memory, with the DynamoDB adapter's conditions (claims, confirmation, marks). */
export class MemoryOutbox implements NotificationOutbox {
  readonly pages = new Map<string, StoredPage>();
  private readonly key = (r: PageRef) => `${r.owner}\u0000${r.id}`;

  async add(page: Omit<OutboxPage, 'sent' | 'claimUntil'> & { mark?: boolean }): Promise<boolean> {
    if (this.pages.has(this.key(page))) return false;
    this.pages.set(this.key(page), { ...page, notifications: Object.freeze([...page.notifications]), sent: 0 }); // as stored: never changed
    return true;
  }

  async pagesOf(owner: string): Promise<OutboxPage[]> {
    return this.live().filter((p) => p.owner === owner).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async pending(limit: number): Promise<OutboxPage[]> {
    return this.live().sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
  }

  async confirm(ref: PageRef): Promise<boolean> {
    const p = this.pages.get(this.key(ref));
    if (!p || p.done || p.status !== 'tentative') return false;
    this.pages.set(this.key(ref), { ...p, status: 'ready' });
    return true;
  }

  async claim(ref: PageRef, claimer: string, now: number, until: number, confirm: boolean): Promise<OutboxPage | undefined> {
    const p = this.pages.get(this.key(ref));
    if (!p || p.done || !(p.status === 'ready' || (confirm && p.status === 'tentative'))) return undefined;
    if (p.claimUntil !== undefined && p.claimUntil >= now) return undefined;
    const claimed = { ...p, status: 'ready' as const, claimUntil: until, claimedBy: claimer };
    this.pages.set(this.key(ref), claimed);
    return { ...claimed };
  }

  async progress(ref: PageRef, claimer: string, sent: number, until: number): Promise<boolean> {
    const p = this.pages.get(this.key(ref));
    if (!p || p.claimedBy !== claimer) return false;
    this.pages.set(this.key(ref), { ...p, sent, claimUntil: until });
    return true;
  }

  async release(ref: PageRef, claimer: string, sent: number): Promise<void> {
    const p = this.pages.get(this.key(ref));
    if (!p || p.claimedBy !== claimer) return;
    const { claimUntil: _u, claimedBy: _b, ...rest } = p;
    this.pages.set(this.key(ref), { ...rest, sent });
  }

  async finish(ref: PageRef, claimer: string): Promise<void> {
    const p = this.pages.get(this.key(ref));
    if (!p || p.claimedBy !== claimer) return;
    if (p.mark) this.pages.set(this.key(ref), { ...p, done: true, notifications: [] });
    else this.pages.delete(this.key(ref));
  }

  async discard(ref: PageRef): Promise<void> {
    const p = this.pages.get(this.key(ref));
    if (p && !p.done && p.status === 'tentative') this.pages.delete(this.key(ref));
  }

  private live(): OutboxPage[] {
    return [...this.pages.values()].filter((p) => !p.done).map((p) => ({ ...p }));
  }
}

/** A publisher that throws on chosen calls (1-based), as SNS does when it throttles. */
export class FailingPublisher extends MemoryPublisher {
  calls = 0;
  constructor(private readonly failOn: ReadonlySet<number> = new Set()) { super(); }
  override async publish(n: Notification): Promise<void> {
    this.calls++;
    if (this.failOn.has(this.calls)) throw new Error('SNS: Rate exceeded');
    await super.publish(n);
  }
}

/** A notifier over an in-memory outbox (and a publisher), silent, with real ids. */
export function memoryNotifier(publisher: Publisher, outbox = new MemoryOutbox(), resolve?: NotifierDeps['resolve']): { notifier: Notifier; outbox: MemoryOutbox } {
  return { notifier: new Notifier({ outbox, publisher, log: silentLog, ...(resolve ? { resolve } : {}) }), outbox };
}

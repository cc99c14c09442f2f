/**
 * In-memory stand-ins for the alert engine's ports, for scenario tests that run a whole year in
 * seconds. The DynamoDB-backed versions are exercised by the integration tests.
 */
import { dailyMeans } from '../../shared/domain/period-means.js';
import type { ParamId } from '../../shared/domain/parameters.js';
import type { AlertStateStore, DayPart, Notification, PeriodMeans, Publisher, SampleStore, StoredSample } from '../../shared/ports/index.js';

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

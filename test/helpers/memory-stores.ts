/**
 * In-memory stand-ins for the alert engine's ports, for scenario tests that run a whole year in
 * seconds. The DynamoDB-backed versions are exercised by the integration tests.
 */
import { dailyMeans } from '../../shared/domain/period-means.js';
import type { AlertStateStore, DayPart, Notification, PeriodMeans, Publisher } from '../../shared/ports/index.js';

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

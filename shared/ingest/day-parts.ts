/**
 * Sums and counts of valid values per site and local day, gathered while a file streams, so daily
 * and monthly means (the supervision work's month-by-month figures) need no second pass. The means
 * themselves are worked out in shared/domain/period-means.ts.
 */
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { isValidFlag } from '../domain/sample.js';
import { localDate } from '../domain/time.js';
import type { DayPart, SiteDay } from '../domain/day-means.js';

type OpenPart = { site: string; day: string; sums: Partial<Record<ParamId, number>>; counts: Partial<Record<ParamId, number>>; samples: number };

/**
 * Holds at most `maxOpen` site-days at a time, so memory does not grow with the span of a file: when
 * more are open, the oldest-opened half is handed out to be stored (`takeOverflow`). In a file in
 * time order those days are complete; in one that is not, a day that comes back opens a new part
 * with the next segment number — parts add up, so its means are still right. Segment numbers follow
 * the file's content only, so a re-run writes the same parts under the same keys.
 */
export class DayPartCollector {
  private readonly open = new Map<string, OpenPart>();
  private readonly touched = new Map<string, Set<string>>();
  private segment: number;

  /** `firstSegment`: where a file read over several invocations left its segments (its checkpoint). */
  constructor(
    private readonly fileId: string, private readonly zone: string,
    private readonly belowDetectionFactor = 0.5, private readonly maxOpen = 1000, firstSegment = 0,
  ) {
    this.segment = firstSegment;
  }

  /** The segment the next parts handed out will have. */
  get nextSegment(): number {
    return this.segment;
  }

  add(s: Sample): void {
    const day = localDate(s.time, this.zone);
    const key = `${s.site}\u0000${day}`;
    let part = this.open.get(key);
    if (!part) {
      part = { site: s.site, day, sums: {}, counts: {}, samples: 0 };
      this.open.set(key, part);
      const days = this.touched.get(s.site);
      if (days) days.add(day);
      else this.touched.set(s.site, new Set([day]));
    }
    part.samples++;
    for (const p in s.values) {
      const param = p as ParamId;
      if (!isValidFlag(s.flags[param])) continue;
      const raw = s.values[param] as number;
      // Below-detection values count at half the limit in averages (a convention: docs/domain.md#validity-and-detection-limits).
      const v = s.belowDetection?.[param] ? raw * this.belowDetectionFactor : raw;
      part.sums[param] = (part.sums[param] ?? 0) + v;
      part.counts[param] = (part.counts[param] ?? 0) + 1;
    }
  }

  /** Site-days currently held. */
  get size(): number {
    return this.open.size;
  }

  /** When more than `maxOpen` site-days are held, the oldest-opened half, to be stored now; else none. */
  takeOverflow(): DayPart[] {
    if (this.open.size <= this.maxOpen) return [];
    return this.take(this.open.size - Math.floor(this.maxOpen / 2));
  }

  /** Every part still held (at the end of the file). */
  takeAll(): DayPart[] {
    return this.take(this.open.size);
  }

  /** Every section-day the file touched, whether its part was stored early or not. */
  days(): SiteDay[] {
    return [...this.touched].flatMap(([site, days]) => [...days].map((day) => ({ site, day })));
  }

  private take(n: number): DayPart[] {
    if (n <= 0) return [];
    const out: DayPart[] = [];
    const segment = this.segment++;
    for (const [key, p] of this.open) {
      if (out.length >= n) break;
      this.open.delete(key);
      out.push({ ...p, fileId: this.fileId, segment });
    }
    return out;
  }
}

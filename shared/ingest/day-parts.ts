/**
 * Sums and counts of valid values per site and local day, gathered while a file streams, so daily
 * and monthly means (the supervision work's month-by-month figures) need no second pass.
 */
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { isValidFlag } from '../domain/sample.js';
import { localDate } from '../domain/time.js';
import type { DayPart, PeriodMeans } from '../ports/index.js';

export class DayPartCollector {
  private readonly parts = new Map<string, { site: string; day: string; sums: Partial<Record<ParamId, number>>; counts: Partial<Record<ParamId, number>>; samples: number }>();

  constructor(private readonly fileId: string, private readonly zone: string, private readonly belowDetectionFactor = 0.5) {}

  add(s: Sample): void {
    const day = localDate(s.time, this.zone);
    const key = `${s.site}\u0000${day}`;
    let part = this.parts.get(key);
    if (!part) {
      part = { site: s.site, day, sums: {}, counts: {}, samples: 0 };
      this.parts.set(key, part);
    }
    part.samples++;
    for (const p in s.values) {
      const param = p as ParamId;
      if (!isValidFlag(s.flags[param])) continue;
      const raw = s.values[param] as number;
      // Below-detection values count at half the limit in averages (water-domain reference; configurable).
      const v = s.belowDetection?.[param] ? raw * this.belowDetectionFactor : raw;
      part.sums[param] = (part.sums[param] ?? 0) + v;
      part.counts[param] = (part.counts[param] ?? 0) + 1;
    }
  }

  get size(): number {
    return this.parts.size;
  }

  result(): DayPart[] {
    return [...this.parts.values()].map((p) => ({ ...p, fileId: this.fileId }));
  }
}

/** Adds parts (from several files) into means per period: the day itself, or its month. */
export function meansOf(parts: readonly DayPart[], periodOf: (day: string) => string): PeriodMeans[] {
  const acc = new Map<string, { site: string; period: string; sums: Partial<Record<ParamId, number>>; counts: Partial<Record<ParamId, number>>; samples: number }>();
  for (const part of parts) {
    const period = periodOf(part.day);
    const key = `${part.site}\u0000${period}`;
    let a = acc.get(key);
    if (!a) { a = { site: part.site, period, sums: {}, counts: {}, samples: 0 }; acc.set(key, a); }
    a.samples += part.samples;
    for (const [p, sum] of Object.entries(part.sums) as [ParamId, number][]) {
      a.sums[p] = (a.sums[p] ?? 0) + sum;
      a.counts[p] = (a.counts[p] ?? 0) + (part.counts[p] ?? 0);
    }
  }
  return [...acc.values()].sort((x, y) => (x.period < y.period ? -1 : x.period > y.period ? 1 : 0)).map((a) => {
    const means: Partial<Record<ParamId, number>> = {};
    for (const [p, sum] of Object.entries(a.sums) as [ParamId, number][]) {
      const n = a.counts[p] ?? 0;
      if (n > 0) means[p] = sum / n;
    }
    return { site: a.site, period: a.period, means, counts: a.counts, samples: a.samples };
  });
}

/**
 * Daily and period means from day parts: sums and counts of valid values per site and local day,
 * gathered while files stream, so means need no second pass over the samples.
 */
import type { ParamId } from './parameters.js';

/** Sums and counts of valid values for one site, one local day, from one file (in one or more segments). */
export interface DayPart {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly fileId: string;
  /** Which of the file's part flushes this is: a day that recurs late in an unsorted file gets another. */
  readonly segment: number;
  readonly sums: Partial<Record<ParamId, number>>;
  readonly counts: Partial<Record<ParamId, number>>;
  readonly samples: number;
}

/** A site and a local day a file touched: what the flood-season rule looks at after the file. */
export interface SiteDay {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
}

/** Mean concentrations of valid values over a period (a day or a month) for one site. */
export interface PeriodMeans {
  readonly site: string;
  /** YYYY-MM-DD or YYYY-MM. */
  readonly period: string;
  readonly means: Partial<Record<ParamId, number>>;
  readonly counts: Partial<Record<ParamId, number>>;
  readonly samples: number;
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

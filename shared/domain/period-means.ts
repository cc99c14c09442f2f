/**
 * Period means from day parts — the one implementation behind the store's daily and monthly means
 * and the monthly assessment (docs/domain.md#period-values):
 * - a day's mean of an indicator is the mean of its valid values that day (every file's parts of
 *   the day added up; below-detection values already entered the parts at half the limit);
 * - a month's mean is the mean of its daily means, so an hourly station's 24 values and a manual
 *   sample's one value each weigh one day, and a day with extra samples does not outweigh the rest.
 */
import { monthOfDay } from './months.js';
import type { ParamId } from './parameters.js';

type Values = Partial<Record<ParamId, number>>;

/** Sums and counts of valid values for one site and local day (a stored day part has these). */
export interface DaySums {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly sums: Values;
  readonly counts: Values;
  readonly samples: number;
}

/** Mean concentrations of valid values over a period (a day or a month) for one site. */
export interface PeriodMeans {
  readonly site: string;
  /** YYYY-MM-DD or YYYY-MM. */
  readonly period: string;
  readonly means: Values;
  /** Valid values that entered each mean. */
  readonly counts: Values;
  readonly samples: number;
}

/** A month's means: the mean of the daily means, with how many days stood behind them. */
export interface MonthMeans extends PeriodMeans {
  /** Days with at least one sample. */
  readonly days: number;
  /** Days with at least one valid value, per indicator. */
  readonly validDays: Values;
  /** Days with at least one valid value of any indicator. */
  readonly daysWithValidData: number;
}

const byPeriod = (a: PeriodMeans, b: PeriodMeans) => (a.site < b.site ? -1 : a.site > b.site ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/** Daily means per site and day from day parts (several files', several segments'), sorted by site and day. */
export function dailyMeans(parts: readonly DaySums[]): PeriodMeans[] {
  const acc = new Map<string, { site: string; period: string; sums: Values; counts: Values; samples: number }>();
  for (const part of parts) {
    const key = `${part.site}\u0000${part.day}`;
    let a = acc.get(key);
    if (!a) { a = { site: part.site, period: part.day, sums: {}, counts: {}, samples: 0 }; acc.set(key, a); }
    a.samples += part.samples;
    for (const [p, sum] of Object.entries(part.sums) as [ParamId, number][]) {
      const n = part.counts[p] ?? 0;
      if (n <= 0) continue;
      a.sums[p] = (a.sums[p] ?? 0) + sum;
      a.counts[p] = (a.counts[p] ?? 0) + n;
    }
  }
  return [...acc.values()].map((a) => {
    const means: Values = {};
    for (const [p, sum] of Object.entries(a.sums) as [ParamId, number][]) means[p] = sum / (a.counts[p] as number);
    return { site: a.site, period: a.period, means, counts: a.counts, samples: a.samples };
  }).sort(byPeriod);
}

/** Monthly means per site and month: each indicator's mean over the days that have it. Sorted by site and month. */
export function monthlyMeans(daily: readonly PeriodMeans[]): MonthMeans[] {
  const acc = new Map<string, { site: string; period: string; sums: Values; counts: Values; validDays: Values; samples: number; days: number; valid: number }>();
  for (const d of daily) {
    const period = monthOfDay(d.period);
    const key = `${d.site}\u0000${period}`;
    let a = acc.get(key);
    if (!a) { a = { site: d.site, period, sums: {}, counts: {}, validDays: {}, samples: 0, days: 0, valid: 0 }; acc.set(key, a); }
    a.samples += d.samples;
    if (d.samples > 0) a.days++;
    let any = false;
    for (const [p, mean] of Object.entries(d.means) as [ParamId, number][]) {
      a.sums[p] = (a.sums[p] ?? 0) + mean;
      a.validDays[p] = (a.validDays[p] ?? 0) + 1;
      a.counts[p] = (a.counts[p] ?? 0) + (d.counts[p] ?? 0);
      any = true;
    }
    if (any) a.valid++;
  }
  return [...acc.values()].map((a) => {
    const means: Values = {};
    for (const [p, sum] of Object.entries(a.sums) as [ParamId, number][]) means[p] = sum / (a.validDays[p] as number);
    return { site: a.site, period: a.period, means, counts: a.counts, samples: a.samples, days: a.days, validDays: a.validDays, daysWithValidData: a.valid };
  }).sort(byPeriod);
}

/**
 * The mean over several periods of their means, per indicator over the periods that have it — the
 * year to date from its months (each month weighs the same, as a year's assessment weighs its months).
 */
export function meanOfMeans(periods: readonly { readonly means: Values }[]): Values {
  const sums: Values = {};
  const n: Values = {};
  for (const { means } of periods) {
    for (const [p, v] of Object.entries(means) as [ParamId, number][]) {
      sums[p] = (sums[p] ?? 0) + v;
      n[p] = (n[p] ?? 0) + 1;
    }
  }
  const out: Values = {};
  for (const [p, s] of Object.entries(sums) as [ParamId, number][]) out[p] = s / (n[p] as number);
  return out;
}

/**
 * Flood-season swings (汛期, docs/domain.md#flood-season): a section's daily CWQI (from daily mean
 * concentrations of valid data, §3) against its pre-season baseline and the previous day, and its
 * daily grade against the previous day's. Names the indicators whose index terms rose most.
 */
import { indexOf } from '../domain/cwqi.js';
import { evaluateSample } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import { type GradeRank, gradeOf, gradeRank } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { Site } from '../domain/sites.js';
import type { AlertConfig } from './config.js';

export interface DayIndex {
  readonly day: string;
  readonly means: Partial<Record<ParamId, number>>;
  readonly cwqi: number;
  readonly terms: Partial<Record<ParamId, number>>;
  readonly grade: Grade | null;
}

export function dayIndex(day: string, means: Partial<Record<ParamId, number>>, site: Site): DayIndex | undefined {
  const { total, perParam: terms } = indexOf(means, site.water);
  if (total === null) return undefined;
  // Stryker disable next-line StringLiteral: the file name of a sample made from means is never read by the evaluation.
  const grade = evaluateSample({ site: site.id, registered: site.registered, time: 0, values: means, flags: {}, source: { file: '', line: 0 } }, site).grade;
  return { day, means, cwqi: total, terms, grade };
}

export interface FluctuationEvent {
  readonly kind: 'fluctuation';
  readonly site: string;
  readonly day: string;
  readonly mainSeason: boolean;
  readonly inWindow: boolean;
  readonly cwqi: number;
  readonly baseline: number | null;
  readonly previous: number | null;
  readonly vsBaseline: number | null;
  readonly dayOnDay: number | null;
  readonly grade: Grade | null;
  readonly previousGrade: Grade | null;
  readonly baselineGrade: Grade | null;
  readonly reasons: string[];
  /** Indicators whose index terms rose most, against the baseline (or the previous day). */
  readonly drivers: { param: ParamId; from: number; to: number }[];
}

/** Whether the flood rule looks at this day at all (in the window, or outside it when enabled there). */
export function floodRuleApplies(day: string, config: AlertConfig): boolean {
  return config.flood.outsideWindow.enabled || inRange(day.slice(5), config.flood.window);
}

const inRange = (mmdd: string, r: { from: string; to: string }) => (r.from <= r.to ? mmdd >= r.from && mmdd <= r.to : mmdd >= r.from || mmdd <= r.to);

/**
 * The days (YYYY-MM-DD) of the baseline: the `baselineDays` before the window's latest opening on or
 * before `day` — for a window from 12-01 to 02-28, 15 January looks back from the 1 December before it,
 * and a day outside the window before this year's opening looks back from last year's, never ahead.
 */
export function baselineDays(day: string, config: AlertConfig): { from: string; to: string } {
  const opens = config.flood.window.from;
  const year = Number(day.slice(0, 4)) - (day.slice(5) < opens ? 1 : 0);
  const start = Date.UTC(year, Number(opens.slice(0, 2)) - 1, Number(opens.slice(3, 5)));
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(start - config.flood.baselineDays * 86_400_000), to: iso(start - 86_400_000) };
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The index over a fixed set of indicators: manual samples add items (BOD5, phenol…) on a few days
 * a month, and a sum over more items is not a worse river. Comparisons use the items both sides have.
 */
function over(d: DayIndex, params: ReadonlySet<ParamId>): number {
  let total = 0;
  for (const p of params) total += d.terms[p] ?? 0;
  return total;
}

function gradeOver(d: DayIndex, params: ReadonlySet<ParamId>, site: Site): Grade | null {
  const means = Object.fromEntries(Object.entries(d.means).filter(([p]) => params.has(p as ParamId)));
  // Stryker disable next-line StringLiteral: the file name of a sample made from means is never read by the evaluation.
  return evaluateSample({ site: site.id, registered: site.registered, time: 0, values: means, flags: {}, source: { file: '', line: 0 } }, site).grade;
}

export function checkFluctuation(
  site: Site, today: DayIndex, yesterday: DayIndex | undefined, baseline: readonly DayIndex[], config: AlertConfig,
): FluctuationEvent | undefined {
  const mmdd = today.day.slice(5);
  const inWindow = inRange(mmdd, config.flood.window);
  if (!inWindow && !config.flood.outsideWindow.enabled) return undefined;
  const limits = inWindow ? config.flood : config.flood.outsideWindow;
  const todayParams = Object.keys(today.terms) as ParamId[];
  // Items of today's that most baseline days have too.
  const baseParams = new Set(todayParams.filter((p) => baseline.filter((d) => d.terms[p] !== undefined).length * 2 > baseline.length));
  const dayParams = new Set(todayParams.filter((p) => yesterday?.terms[p] !== undefined));

  // An item most baseline days have means there are baseline days.
  const base = baseParams.size > 0 ? baseline.reduce((n, d) => n + over(d, baseParams), 0) / baseline.length : null;
  const todayVsBase = over(today, baseParams);
  const vsBaseline = base ? (todayVsBase - base) / base : null;
  const prev = yesterday && dayParams.size > 0 ? over(yesterday, dayParams) : null;
  const dayOnDay = prev ? (over(today, dayParams) - prev) / prev : null;
  const reasons: string[] = [];
  if (vsBaseline !== null && vsBaseline > limits.vsBaseline) reasons.push('baseline');
  if (dayOnDay !== null && dayOnDay > limits.dayOnDay) reasons.push('day-on-day');
  // The daily grade against the previous day's (over the items both days have). A section that sits
  // on a class boundary flips between, say, III and IV on noise alone; by default a fall counts only
  // when it takes the day beyond the site's target (gradeOnlyBeyondTarget).
  const baseGrade = baselineGrade(baseline.map((d) => gradeOver(d, baseParams, site)));
  const todayGrade = baseParams.size > 0 ? gradeOver(today, baseParams, site) : today.grade;
  // Over no shared item there is no grade (null) on either side.
  const todayVsYesterday = gradeOver(today, dayParams, site);
  const yesterdayGrade = yesterday ? gradeOver(yesterday, dayParams, site) : null;
  if (inWindow && todayVsYesterday && yesterdayGrade
    && gradeRank(todayVsYesterday) - gradeRank(yesterdayGrade) >= config.flood.gradeDrop
    && (!config.flood.gradeOnlyBeyondTarget || gradeRank(todayVsYesterday) > gradeRank(site.target))) reasons.push('grade');
  if (reasons.length === 0) return undefined;

  const reference: Partial<Record<ParamId, number>> = {};
  if (baseline.length > 0) {
    for (const p of todayParams) {
      const xs = baseline.map((d) => d.terms[p]).filter((x): x is number => x !== undefined);
      if (xs.length > 0) reference[p] = xs.reduce((a, b) => a + b, 0) / xs.length;
    }
  } else if (yesterday) Object.assign(reference, yesterday.terms);
  const drivers = todayParams
    .filter((p) => reference[p] !== undefined)
    .map((p) => ({ param: p, from: reference[p] as number, to: today.terms[p] as number }))
    .filter((d) => d.to > d.from)
    .sort((a, b) => (b.to - b.from) - (a.to - a.from))
    .slice(0, 3);
  return {
    kind: 'fluctuation', site: site.id, day: today.day, mainSeason: inRange(mmdd, config.flood.main), inWindow,
    cwqi: base !== null ? todayVsBase : today.cwqi, baseline: base, previous: prev, vsBaseline, dayOnDay,
    grade: reasons.includes('grade') ? todayVsYesterday : todayGrade, previousGrade: yesterdayGrade, baselineGrade: baseGrade, reasons, drivers,
  };
}

/** The worst class the baseline days usually reach: their median grade. */
function baselineGrade(grades: readonly (Grade | null)[]): Grade | null {
  const ranks = grades.flatMap((g) => (g ? [gradeRank(g)] : [])).sort((a, b) => a - b);
  if (ranks.length === 0) return null;
  return gradeOf(ranks[Math.floor(ranks.length / 2)] as GradeRank);
}

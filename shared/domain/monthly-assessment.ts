/**
 * One site's month (docs/domain.md#period-values): the period's mean of each indicator — the mean of its daily
 * means of valid data — graded, checked against the target and effluent limits and indexed with the
 * very rules that judge one sample (evaluateSample), never a second grading implementation.
 *
 * Completeness: a month is assessed when it has at least `minDays` days with valid data (a day with
 * at least one valid value of any indicator). Every indicator measured on any of those days enters
 * the month's means — a manual section's one sample a month, and the few items only the manual
 * sample measures at an online station, are the month's values for them (§7). Valid days per
 * indicator are reported beside the means. A month below the threshold is reported with its means
 * but no grade, index or compliance: it is never counted as compliant.
 */
import type { Evaluation, Exceedance } from './evaluate.js';
import { evaluateSample } from './evaluate.js';
import type { Grade } from './gb3838.js';
import type { ParamId } from './parameters.js';
import type { MonthMeans } from './period-means.js';
import type { Site } from './sites.js';

type Values = Partial<Record<ParamId, number>>;

export interface MonthAssessment {
  readonly site: string;
  /** YYYY-MM */
  readonly month: string;
  /** Days with at least one sample. */
  readonly days: number;
  /** Days with at least one valid value of any indicator (what the threshold counts). */
  readonly daysWithValidData: number;
  readonly validDays: Values;
  readonly minDays: number;
  readonly assessed: boolean;
  readonly notAssessedReason?: string;
  readonly means: Values;
  readonly grade: Grade | null;
  readonly target: Grade;
  readonly compliant: boolean | null;
  readonly cwqi: number | null;
  readonly contributions: Values;
  readonly exceedances: readonly Exceedance[];
  readonly mainPollutants: readonly ParamId[];
}

/**
 * Period means judged as one sample of the site. The means already hold below-detection values at
 * half the limit (the day parts do), so nothing is marked below detection here.
 */
export function evaluateMeans(site: Site, means: Values): Evaluation {
  // Stryker disable next-line StringLiteral: the file name of a sample made from means is never read by the evaluation.
  return evaluateSample({ site: site.id, registered: site.registered, time: 0, values: means, flags: {}, source: { file: '', line: 0 } }, site);
}

const NONE: readonly never[] = Object.freeze([]);

export function assessMonth(site: Site, month: string, data: MonthMeans | undefined, minDays: number): MonthAssessment {
  const daysWithValidData = data?.daysWithValidData ?? 0;
  const base = {
    site: site.id, month, days: data?.days ?? 0, daysWithValidData, validDays: data?.validDays ?? {}, minDays,
    means: data?.means ?? {}, target: site.target,
  };
  if (daysWithValidData < minDays || daysWithValidData === 0) {
    const notAssessedReason = daysWithValidData === 0
      ? (data && data.days > 0 ? `${month} 有 ${data.days} 天数据，但无有效数据（均带无效标识）` : `${month} 无监测数据`)
      : `${month} 有效数据 ${daysWithValidData} 天，少于评价所需的 ${minDays} 天`;
    return {
      ...base, assessed: false, notAssessedReason, grade: null, compliant: null, cwqi: null,
      contributions: {}, exceedances: NONE, mainPollutants: NONE,
    };
  }
  const e = evaluateMeans(site, base.means);
  return {
    ...base, assessed: true, grade: e.grade, compliant: e.compliant, cwqi: e.cwqi,
    contributions: e.contributions, exceedances: e.exceedances, mainPollutants: e.mainPollutants,
  };
}

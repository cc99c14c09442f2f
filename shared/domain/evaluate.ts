/**
 * Evaluates one sample for its site: GB 3838 class per indicator, the sample's grade, exceedances
 * against the target class and effluent limits, compliance, CWQI and contributions, main pollutants.
 * Hot path: the loop walks a per-water-body plan built once, not the catalogue.
 */
import type { Grade, GradeRank, Table1Item, WaterBody } from './gb3838.js';
import { gradeOf, gradeRank, setsGrade, TABLE1 } from './gb3838.js';
import { breachOf, classify } from './grading.js';
import { CWQI_PARAMS, cwqiOf } from './cwqi.js';
import type { ParamId } from './parameters.js';
import { PARAM_IDS } from './parameters.js';
import type { Sample } from './sample.js';
import { isValidFlag } from './sample.js';
import type { Site } from './sites.js';

export interface Exceedance {
  readonly param: ParamId;
  readonly value: number;
  readonly limit: number;
  /** (C − S) / S, unrounded; null for pH and DO. */
  readonly multiple: number | null;
}

export interface Evaluation {
  /** Worst class of the grade-setting indicators; null when none has a valid value. */
  readonly grade: Grade | null;
  readonly target: Grade;
  /** Grade within target and every effluent limit held; null when nothing valid was measured. */
  readonly compliant: boolean | null;
  readonly cwqi: number | null;
  readonly contributions: Partial<Record<ParamId, number>>;
  readonly exceedances: readonly Exceedance[];
  readonly mainPollutants: readonly ParamId[];
  /** Class of every valid Table 1 indicator, including those that do not set the grade (TN, coliform). */
  readonly classes: Partial<Record<ParamId, Grade>>;
}

export interface EvaluateOptions {
  /** Factor applied to a below-detection value in index arithmetic (half the limit by default). */
  readonly belowDetectionIndexFactor?: number;
}

interface PlanEntry {
  readonly param: ParamId;
  readonly item: Table1Item;
  readonly grades: boolean;
  readonly indexed: boolean;
}

const CLASS_III: GradeRank = 2;
const INDEXED = new Set<ParamId>(CWQI_PARAMS);

function planFor(body: WaterBody): readonly PlanEntry[] {
  const table = TABLE1[body];
  return PARAM_IDS.flatMap((param) => {
    const item = table.get(param);
    return item ? [{ param, item, grades: setsGrade(param, body), indexed: INDEXED.has(param) }] : [];
  });
}

const PLANS: Record<WaterBody, readonly PlanEntry[]> = { river: planFor('river'), lake: planFor('lake') };

interface Candidate { readonly param: ParamId; readonly rank: GradeRank; readonly multiple: number | null }

export function evaluateSample(sample: Sample, site: Site, options: EvaluateOptions = {}): Evaluation {
  const bdlFactor = options.belowDetectionIndexFactor ?? 0.5;
  const targetRank = gradeRank(site.target);
  const { values, flags } = sample;
  const bdl = sample.belowDetection;

  let worst = -1;
  let total = 0;
  let indexedAny = false;
  const perIndex: [ParamId, number][] = [];
  const classes: Partial<Record<ParamId, Grade>> = {};
  const exceeded = new Map<ParamId, Exceedance>();
  const candidates: Candidate[] = [];

  for (const entry of PLANS[site.water]) {
    const v = values[entry.param];
    if (v === undefined || !isValidFlag(flags[entry.param])) continue;
    const below = bdl?.[entry.param] === true;
    const rank = classify(entry.item, v);
    classes[entry.param] = gradeOf(rank);
    if (entry.indexed) {
      const ci = cwqiOf(entry.item, below ? v * bdlFactor : v);
      perIndex.push([entry.param, ci]);
      total += ci;
      indexedAny = true;
    }
    if (!entry.grades) continue;
    if (rank > worst) worst = rank;
    // A value below its detection limit is never reported as an exceedance: the true value is unknown.
    if (!below && rank > targetRank) {
      const breach = breachOf(entry.item, v, targetRank);
      if (breach) exceeded.set(entry.param, { param: entry.param, value: v, ...breach });
    }
    if (rank > CLASS_III) {
      candidates.push({ param: entry.param, rank, multiple: below ? null : (breachOf(entry.item, v, CLASS_III)?.multiple ?? null) });
    }
  }

  let effluentBreached = false;
  let effluentChecked = false;
  for (const [param, limit] of Object.entries(site.effluentLimits) as [ParamId, number][]) {
    const v = values[param];
    if (v === undefined || !isValidFlag(flags[param])) continue;
    effluentChecked = true;
    if (bdl?.[param] || v <= limit) continue;
    effluentBreached = true;
    const prior = exceeded.get(param);
    if (!prior || prior.limit > limit) exceeded.set(param, { param, value: v, limit, multiple: (v - limit) / limit });
  }

  const contributions: Partial<Record<ParamId, number>> = {};
  if (total > 0) for (const [param, ci] of perIndex) contributions[param] = ci / total;

  const grade = worst < 0 ? null : gradeOf(worst as GradeRank);
  const compliant = worst < 0 && !effluentChecked ? null : worst <= targetRank && !effluentBreached;

  return {
    grade, target: site.target, compliant,
    cwqi: indexedAny ? total : null, contributions,
    exceedances: [...exceeded.values()],
    mainPollutants: mainPollutants(candidates),
    classes,
  };
}

/**
 * 主要污染指标 (环办〔2011〕22号): when a section is worse than Class III, the up to three indicators in
 * the worst classes, ties broken by exceedance multiple against Class III (pH and DO have none: last).
 */
function mainPollutants(candidates: Candidate[]): ParamId[] {
  if (candidates.length === 0) return [];
  const byMultiple = (a: Candidate, b: Candidate) =>
    a.multiple === b.multiple ? 0 : a.multiple === null ? 1 : b.multiple === null ? -1 : b.multiple - a.multiple;
  candidates.sort((a, b) => b.rank - a.rank || byMultiple(a, b));
  return candidates.slice(0, 3).map((c) => c.param);
}

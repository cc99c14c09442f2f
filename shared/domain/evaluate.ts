/**
 * Evaluates one sample for its site: GB 3838 class per indicator, the sample's grade, exceedances
 * against the target class and effluent limits, compliance, CWQI and contributions, main pollutants.
 * Hot path: the loop walks a per-water-body plan built once, not the catalogue.
 */
import type { Grade, GradeRank, Table1Item, WaterBody } from './gb3838.js';
import { gradeOf, gradeRank, setsGrade, TABLE1 } from './gb3838.js';
import { classify } from './grading.js';
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
}

/** A sample with its evaluation: what ingest stores and the alert rules judge. */
export interface EvaluatedSample {
  readonly sample: Sample;
  readonly evaluation: Evaluation;
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
/** The same plans keyed by parameter: the hot loop walks the sample's few keys, not all 23 items. */
const PLAN_INDEX: Record<WaterBody, ReadonlyMap<string, PlanEntry>> = {
  river: new Map(PLANS.river.map((e) => [e.param, e])),
  lake: new Map(PLANS.lake.map((e) => [e.param, e])),
};
const CATALOGUE_ORDER: Readonly<Record<string, number>> = Object.fromEntries(PARAM_IDS.map((p, i) => [p, i]));

// Scratch space for the sample being evaluated: evaluateSample never yields, so one set of buffers
// serves every call and the hot path allocates only what it returns.
const candParam: ParamId[] = [];
const candRank = new Int8Array(64);
/** Multiple over Class III; NaN where the standard defines none (pH, DO) or the value is below detection. */
const candMultiple = new Float64Array(64);

const NONE: readonly never[] = Object.freeze([]);

/*
 * What is made per sample is made without an object or array literal: V8 decides for each literal
 * site whether to allocate its objects straight into the old generation ("allocation-site
 * pretenuring"), judging by how many outlive a scavenge while the code still runs unoptimised, and
 * a reader's batch of samples alive at that moment made it decide so in some runs of the bench's
 * 100 MB file — every evaluation's exceedances then took a full collection to free (a third more
 * CPU time, 320 MB of RSS instead of 165 MB). Objects made by `new` carry no such site, nor arrays
 * copied out of a scratch array by slice().
 */
class Breach implements Exceedance {
  constructor(readonly param: ParamId, readonly value: number, readonly limit: number, readonly multiple: number | null) {}
}
/** The sample's exceedances as they are found (the first `nEx`), and its main pollutants. */
const exScratch: Exceedance[] = [];
const picked: ParamId[] = [];

const effluentCache = new WeakMap<Site, readonly (readonly [ParamId, number])[]>();
function effluentEntries(site: Site): readonly (readonly [ParamId, number])[] {
  return effluentCache.get(site) ?? cacheEffluentEntries(site);
}
function cacheEffluentEntries(site: Site): readonly (readonly [ParamId, number])[] {
  const e = Object.entries(site.effluentLimits) as [ParamId, number][];
  effluentCache.set(site, e);
  return e;
}

export function evaluateSample(sample: Sample, site: Site, options?: EvaluateOptions): Evaluation {
  const bdlFactor = options?.belowDetectionIndexFactor ?? 0.5;
  const targetRank = gradeRank(site.target);
  const values = sample.values;
  const flags = sample.flags;
  const bdl = sample.belowDetection;
  const flagged = hasKeys(flags);

  let worst = -1;
  let total = 0;
  let nIndexed = 0;
  let nCand = 0;
  let nEx = 0;

  const plan = PLAN_INDEX[site.water];
  for (const key in values) {
    const entry = plan.get(key);
    if (entry === undefined) continue;
    const param = entry.param;
    // Read with the for-in key itself: V8 then loads the field by the enumeration's own index
    // instead of a keyed lookup by name (a third of this function's time on the bench file).
    const v = values[key as ParamId];
    if (v === undefined || (flagged && !isValidFlag(flags[param]))) continue;
    const below = bdl !== undefined && bdl[param] === true;
    const item = entry.item;
    const rank = classify(item, v);
    if (entry.indexed) {
      total += cwqiOf(item, below ? v * bdlFactor : v);
      nIndexed++;
    }
    if (!entry.grades) continue;
    worst = Math.max(worst, rank);
    // A value below its detection limit is never reported as an exceedance: the true value is unknown.
    if (!below && rank > targetRank) {
      const limit = breachedLimit(item, v, targetRank);
      nEx = inCatalogueOrder(nEx, new Breach(param, v, limit, item.kind === 'max' ? (v - limit) / limit : null));
    }
    if (rank > CLASS_III) {
      candParam[nCand] = param;
      candRank[nCand] = rank;
      candMultiple[nCand++] = below || item.kind !== 'max' ? NaN : multipleOver(item, v, CLASS_III);
    }
  }

  let effluentBreached = false;
  let effluentChecked = false;
  for (const [param, limit] of effluentEntries(site)) {
    const v = values[param];
    if (v === undefined || !isValidFlag(flags[param])) continue;
    effluentChecked = true;
    if ((bdl !== undefined && bdl[param]) || v <= limit) continue;
    effluentBreached = true;
    let i = 0;
    while (i < nEx && (exScratch[i] as Exceedance).param !== param) i++;
    const breach = new Breach(param, v, limit, (v - limit) / limit);
    if (i === nEx) nEx = inCatalogueOrder(nEx, breach);
    else if ((exScratch[i] as Exceedance).limit > limit) exScratch[i] = breach;
  }

  const grade = worst < 0 ? null : gradeOf(worst as GradeRank);
  const compliant = worst < 0 && !effluentChecked ? null : worst <= targetRank && !effluentBreached;

  return new SampleEvaluation(
    grade, site.target, compliant, nIndexed > 0 ? total : null, nEx === 0 ? NONE : exScratch.slice(0, nEx),
    nCand === 0 ? NONE : mainPollutants(nCand), sample, site.water, bdlFactor,
  );
}

/** Contributions are worked out when first asked for: most evaluations feed counts and alerts only. */
class SampleEvaluation implements Evaluation {
  private shares: Partial<Record<ParamId, number>> | undefined;
  constructor(
    readonly grade: Grade | null,
    readonly target: Grade,
    readonly compliant: boolean | null,
    readonly cwqi: number | null,
    readonly exceedances: readonly Exceedance[],
    readonly mainPollutants: readonly ParamId[],
    private readonly sample: Sample,
    private readonly water: WaterBody,
    private readonly bdlFactor: number,
  ) {}

  get contributions(): Partial<Record<ParamId, number>> {
    return (this.shares ??= this.computeShares());
  }

  private computeShares(): Partial<Record<ParamId, number>> {
    const shares: Partial<Record<ParamId, number>> = {};
    const total = this.cwqi ?? 0;
    if (total > 0) {
      const { values, flags, belowDetection } = this.sample;
      for (const entry of PLANS[this.water]) {
        const v = values[entry.param];
        if (!entry.indexed || v === undefined || !isValidFlag(flags[entry.param])) continue;
        shares[entry.param] = cwqiOf(entry.item, belowDetection?.[entry.param] ? v * this.bdlFactor : v) / total;
      }
    }
    return shares;
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  // Stryker disable next-line BooleanLiteral: only the fast path: a value without a flag is valid either way.
  return false;
}

/** The limit of class `rank` that a value graded worse than that class breaks: its own, or the pH band's end it passed. */
function breachedLimit(item: Table1Item, v: number, rank: GradeRank): number {
  if (item.kind !== 'range') return item.limits[rank as 0] as number;
  // Stryker disable next-line UnaryOperator,ArrayDeclaration: a range item without a band classes every value I, so never gets here.
  const [lo, hi] = item.range ?? [-Infinity, Infinity];
  return v < lo ? lo : hi;
}

function multipleOver(item: Table1Item, v: number, rank: GradeRank): number {
  const limit = item.limits[rank as 0] as number;
  return (v - limit) / limit;
}

/** Does candidate i come before candidate j: worse class, then larger multiple (none last)? */
function before(i: number, j: number): boolean {
  const ri = candRank[i] as number;
  const rj = candRank[j] as number;
  if (ri !== rj) return ri > rj;
  const mi = candMultiple[i] as number;
  const mj = candMultiple[j] as number;
  if (Number.isNaN(mj)) return !Number.isNaN(mi);
  return mi > mj;
}

/**
 * 主要污染指标 (环办〔2011〕22号): when a section is worse than Class III, the up to three indicators in
 * the worst classes, ties broken by exceedance multiple against Class III (pH and DO have none: last).
 * Picks the top three from the scratch candidates without sorting or allocating them.
 */
function mainPollutants(n: number): ParamId[] {
  let taken = 0; // a bit per candidate (a sample has at most 23 indicators)
  let k = 0;
  for (; k < 3 && k < n; k++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if ((taken & (1 << i)) !== 0) continue;
      if (best < 0 || before(i, best)) best = i;
    }
    taken |= 1 << best;
    picked[k] = candParam[best] as ParamId;
  }
  return picked.slice(0, k);
}

/**
 * Adds an exceedance to the first `n` of the scratch list where the catalogue order puts it, and
 * returns the new count: the list has a handful of entries at most, and a sort with a comparator
 * cost more than all the grading of the sample.
 */
function inCatalogueOrder(n: number, x: Exceedance): number {
  const order = CATALOGUE_ORDER[x.param] as number;
  let i = n;
  while (i > 0 && (CATALOGUE_ORDER[(exScratch[i - 1] as Exceedance).param] as number) > order) {
    exScratch[i] = exScratch[i - 1] as Exceedance;
    i--;
  }
  exScratch[i] = x;
  return n + 1;
}

/** GB 3838 class of every valid Table 1 indicator, including those that do not set the grade (TN, coliform). */
export function indicatorClasses(sample: Sample, site: Site): Partial<Record<ParamId, Grade>> {
  const classes: Partial<Record<ParamId, Grade>> = {};
  for (const entry of PLANS[site.water]) {
    const v = sample.values[entry.param];
    if (v !== undefined && isValidFlag(sample.flags[entry.param])) classes[entry.param] = gradeOf(classify(entry.item, v));
  }
  return classes;
}


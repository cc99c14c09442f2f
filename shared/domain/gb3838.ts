/**
 * GB 3838-2002 Table 1 (basic items) as data. Source: docs/domain.md#gb-3838-2002-table-1.
 * Limits are listed Class I → V, in the catalogue's units.
 */
import type { ParamId } from './parameters.js';

export const GRADES = ['I', 'II', 'III', 'IV', 'V', '劣V'] as const;
export type Grade = (typeof GRADES)[number];

/** Grade as a rank 0 (I) … 5 (劣V); worse is larger. */
export type GradeRank = 0 | 1 | 2 | 3 | 4 | 5;
export const WORSE_THAN_V: GradeRank = 5;

export function gradeRank(g: Grade): GradeRank {
  return GRADES.indexOf(g) as GradeRank;
}

export function gradeOf(rank: GradeRank): Grade {
  return GRADES[rank] as Grade;
}

export function isGrade(s: string): s is Grade {
  return (GRADES as readonly string[]).includes(s);
}

export type WaterBody = 'river' | 'lake';

/** How a limit compares: 'max' = value must be at most the limit; 'min' = at least (DO); 'range' = pH. */
export type LimitKind = 'max' | 'min' | 'range';

export interface Table1Item {
  readonly param: ParamId;
  readonly kind: LimitKind;
  /** Class I..V limits. For 'range' items the inclusive [low, high] band shared by every class. */
  readonly limits: readonly [number, number, number, number, number];
  readonly range?: readonly [number, number];
}

const max = (param: ParamId, ...limits: [number, number, number, number, number]): Table1Item =>
  ({ param, kind: 'max', limits });

/** pH 6–9 in every class; outside is 劣V. */
export const PH_RANGE: readonly [number, number] = [6, 9];

export const TABLE1_COMMON: readonly Table1Item[] = [
  { param: 'pH', kind: 'range', limits: [9, 9, 9, 9, 9], range: PH_RANGE },
  { param: 'DO', kind: 'min', limits: [7.5, 6, 5, 3, 2] },
  max('CODMn', 2, 4, 6, 10, 15),
  max('COD', 15, 15, 20, 30, 40),
  max('BOD5', 3, 3, 4, 6, 10),
  max('NH3N', 0.15, 0.5, 1.0, 1.5, 2.0),
  max('TN', 0.2, 0.5, 1.0, 1.5, 2.0),
  max('Cu', 0.01, 1.0, 1.0, 1.0, 1.0),
  max('Zn', 0.05, 1.0, 1.0, 2.0, 2.0),
  max('F', 1.0, 1.0, 1.0, 1.5, 1.5),
  max('Se', 0.01, 0.01, 0.01, 0.02, 0.02),
  max('As', 0.05, 0.05, 0.05, 0.1, 0.1),
  max('Hg', 0.00005, 0.00005, 0.0001, 0.001, 0.001),
  max('Cd', 0.001, 0.005, 0.005, 0.005, 0.01),
  max('Cr6', 0.01, 0.05, 0.05, 0.05, 0.1),
  max('Pb', 0.01, 0.01, 0.05, 0.05, 0.1),
  max('CN', 0.005, 0.05, 0.2, 0.2, 0.2),
  max('phenol', 0.002, 0.002, 0.005, 0.01, 0.1),
  max('oil', 0.05, 0.05, 0.05, 0.5, 1.0),
  max('LAS', 0.2, 0.2, 0.2, 0.3, 0.3),
  max('S2', 0.05, 0.1, 0.2, 0.5, 1.0),
  max('coliform', 200, 2000, 10000, 20000, 40000),
];

export const TP_RIVER: Table1Item = max('TP', 0.02, 0.1, 0.2, 0.3, 0.4);
export const TP_LAKE: Table1Item = max('TP', 0.01, 0.025, 0.05, 0.1, 0.2);

function tableFor(body: WaterBody): ReadonlyMap<ParamId, Table1Item> {
  return new Map([...TABLE1_COMMON, body === 'lake' ? TP_LAKE : TP_RIVER].map((i) => [i.param, i]));
}

/** Table 1 for each kind of water body (they differ only in TP). */
export const TABLE1: Readonly<Record<WaterBody, ReadonlyMap<ParamId, Table1Item>>> = {
  river: tableFor('river'),
  lake: tableFor('lake'),
};

/**
 * Items that set a sample's grade (环办〔2011〕22号 single-factor method, docs/domain.md#single-factor-evaluation):
 * fecal coliform never does; TN does for lakes and reservoirs only. Both are still classed and reported.
 */
export function setsGrade(param: ParamId, body: WaterBody): boolean {
  if (param === 'coliform') return false;
  if (param === 'TN') return body === 'lake';
  return true;
}

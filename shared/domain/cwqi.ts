/**
 * CWQI — 《城市地表水环境质量排名技术规定（试行）》(2017), docs/domain.md#cwqi.
 * CWQI_i = C_i / S_i with S_i the Class III limit (lakes: lake TP); DO and pH have their own forms.
 * The section index sums the 21 Table 1 items other than water temperature, TN and fecal coliform.
 */
import type { ParamId } from './parameters.js';
import type { Table1Item, WaterBody } from './gb3838.js';
import { TABLE1 } from './gb3838.js';

const CLASS_III = 2;

/** Items that enter the section index. */
export const CWQI_PARAMS: readonly ParamId[] = [
  'pH', 'DO', 'CODMn', 'COD', 'BOD5', 'NH3N', 'TP', 'Cu', 'Zn', 'F', 'Se', 'As', 'Hg', 'Cd',
  'Cr6', 'Pb', 'CN', 'phenol', 'oil', 'LAS', 'S2',
];

/**
 * DO of zero would make S/C infinite. The ranking rules do not say what to do; bishui floors the
 * concentration at 0.1 mg/L, so an anoxic reading scores 50 — dominant, but finite and comparable.
 */
export const DO_FLOOR_MG_L = 0.1;

export function cwqiOf(item: Table1Item, value: number): number {
  switch (item.kind) {
    case 'range':
      return value <= 7 ? (7 - value) / (7 - 6) : (value - 7) / (9 - 7);
    case 'min':
      return (item.limits[CLASS_III] as number) / Math.max(value, DO_FLOOR_MG_L);
    case 'max':
      return value / (item.limits[CLASS_III] as number);
  }
}

/** A pluggable index: the CWQI is the default; the province's own index may replace it. */
export interface WaterIndex {
  readonly name: string;
  readonly params: readonly ParamId[];
  indicator(param: ParamId, value: number, body: WaterBody): number | undefined;
}

export const CWQI: WaterIndex = {
  name: 'CWQI',
  params: CWQI_PARAMS,
  indicator(param, value, body) {
    const item = TABLE1[body].get(param);
    return item ? cwqiOf(item, value) : undefined;
  },
};

export interface IndexResult {
  /** Σ CWQI_i, or null when no indexed item has a valid value. */
  readonly total: number | null;
  readonly perParam: Partial<Record<ParamId, number>>;
  /**
   * Contribution (贡献率) of each item: CWQI_i / Σ CWQI. Sums to 1; empty when Σ CWQI is 0 (pH 7.0
   * alone): an index of 0 has nothing to share out — as evaluateSample's contributions.
   */
  readonly contributions: Partial<Record<ParamId, number>>;
}

export function indexOf(
  values: Partial<Record<ParamId, number>>, body: WaterBody, index: WaterIndex = CWQI,
): IndexResult {
  const perParam: Partial<Record<ParamId, number>> = {};
  let total = 0;
  let any = false;
  for (const param of index.params) {
    const v = values[param];
    if (v === undefined) continue;
    const ci = index.indicator(param, v, body);
    if (ci === undefined) continue;
    perParam[param] = ci;
    total += ci;
    any = true;
  }
  const contributions: Partial<Record<ParamId, number>> = {};
  if (total > 0) {
    for (const [param, ci] of Object.entries(perParam) as [ParamId, number][]) contributions[param] = ci / total;
  }
  return { total: any ? total : null, perParam, contributions };
}

/** Change against a base period, (now − base) / base; > 0 means worse. Null when base is 0 or missing. */
export function indexChange(now: number | null, base: number | null): number | null {
  if (now === null || base === null || base === 0) return null;
  return (now - base) / base;
}

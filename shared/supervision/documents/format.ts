/**
 * Numbers, months and indicators as the documents print them. The data keeps every digit
 * (bulletin.json); what people read is rounded here, in one place.
 */
import type { Exceedance } from '../../domain/evaluate.js';
import type { Grade } from '../../domain/gb3838.js';
import type { ParamId } from '../../domain/parameters.js';
import { PARAMETERS } from '../../domain/parameters.js';
import type { LadderAction } from '../bulletin.js';

export const DASH = '—';

/** 2023-07 → 2023年7月 */
export function monthZh(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

/** 2023-08-10 → 2023年8月10日 (GB/T 9704 writes dates in Arabic numerals). */
export function dateZh(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/** A concentration: four significant digits, no trailing zeros (33.1, 0.912, 1250). */
export function conc(v: number): string {
  return String(Number(v.toPrecision(4)));
}

export function cwqiText(v: number | null): string {
  return v === null ? DASH : v.toFixed(2);
}

/** A change as a signed percentage (−8.1%); > 0 is worse. */
export function changeText(v: number | null): string {
  if (v === null) return DASH;
  const pct = (v * 100).toFixed(1);
  if (Number(pct) === 0) return '0.0%';
  return v > 0 ? `+${pct}%` : `−${pct.slice(1)}%`;
}

/** CSS class for a change: better (index fell), worse (rose) or flat. */
export function changeClass(v: number | null): string {
  if (v === null || Number((v * 100).toFixed(1)) === 0) return 'flat';
  return v < 0 ? 'better' : 'worse';
}

export function shareText(v: number | null): string {
  return v === null ? DASH : `${(v * 100).toFixed(1)}%`;
}

export function multipleText(m: number | null): string {
  return m === null ? '不计' : `${m.toFixed(2)}倍`;
}

export function gradeText(g: Grade | null): string {
  return g === null ? DASH : g === '劣V' ? '劣Ⅴ类' : `${romanZh(g)}类`;
}

/** Chinese documents print class numerals as Ⅰ–Ⅴ. */
function romanZh(g: Exclude<Grade, '劣V'>): string {
  return ({ I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ', V: 'Ⅴ' } as const)[g];
}

export function paramZh(p: ParamId): string {
  return PARAMETERS[p].zh;
}

export function unitOf(p: ParamId): string {
  return PARAMETERS[p].unit;
}

/** 33.1 mg/L */
export function valueWithUnit(p: ParamId, v: number): string {
  const u = unitOf(p);
  return u ? `${conc(v)} ${u}` : conc(v);
}

/** The limit an exceedance was judged against: pH's band, DO's minimum, otherwise the maximum. */
export function limitText(e: Exceedance): string {
  if (e.param === 'pH') return e.value < e.limit ? `下限 ${conc(e.limit)}` : `上限 ${conc(e.limit)}`;
  if (e.param === 'DO') return `≥ ${valueWithUnit(e.param, e.limit)}`;
  return `≤ ${valueWithUnit(e.param, e.limit)}`;
}

/** The ladder's steps as documents name them. */
export const ACTION_ZH: Readonly<Record<LadderAction, string>> = {
  none: '无',
  'reminder-letter': '提醒函',
  'interview-deputy': '约谈分管负责人',
  'interview-principal': '约谈主要负责人',
  'listed-supervision': '挂牌督办',
};

export function siteKindZh(kind: string): string {
  return ({ 'river-section': '河流断面', 'lake-section': '湖库点位', 'effluent-outlet': '污水处理厂出水', outfall: '入河排污口' } as Record<string, string>)[kind] ?? kind;
}

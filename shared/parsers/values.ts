/**
 * One measured value as written in a report: a number (`1,182` and full-width digits too), a blank
 * or a missing marker (`--`, `#N/A`, `缺测`, `停运`…), or a below-detection-limit form (`0.01L` as in
 * Chinese monitoring reports, `<0.01`, `ND`, `未检出`, `ND(0.01)`).
 */

export type CellValue =
  | { readonly kind: 'missing' }
  | { readonly kind: 'number'; readonly value: number }
  /** Below detection; `limit` is the detection limit when the cell gives one. */
  | { readonly kind: 'below'; readonly limit: number | undefined }
  | { readonly kind: 'invalid'; readonly text: string };

/** Markers for "no value here" that stations and clerks write (compared in lower case, after NFKC). */
const MISSING = new Set([
  '', '-', '--', '---', '—', '——', '/', '//', '\\', '*', '**', '***', 'na', 'n/a', 'n.a.', '#n/a', 'null', 'none', 'nan',
  '无', '无数据', '未测', '缺测', '缺失', '停运', '停机', '维护', '维修', '故障', '校准', '断电', '离线',
]);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
/** `1,182`, `12,345.6`: thousands separated by commas, three digits a group. */
const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const BELOW_L = /^((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*L$/i;
const BELOW_LT = /^[<＜]\s*((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/;
const ND = /^(?:nd|未检出|未检测出|低于检出限|<dl|bdl)\s*(?:[(（]\s*((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*[)）])?$/i;

const MISSING_CELL: CellValue = { kind: 'missing' };

export function parseCell(raw: string | number | null | undefined): CellValue {
  if (raw === null || raw === undefined) return MISSING_CELL;
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'number', value: raw } : { kind: 'invalid', text: String(raw) };
  const s = raw.trim();
  if (NUMBER.test(s)) return finite(Number(s), s);
  if (MISSING.has(s.toLowerCase())) return MISSING_CELL;
  if (THOUSANDS.test(s)) return finite(Number(s.replace(/,/g, '')), s);
  let m = BELOW_L.exec(s) ?? BELOW_LT.exec(s);
  if (m) return belowLimit(Number(m[1]), s);
  m = ND.exec(s);
  if (m) return m[1] === undefined ? { kind: 'below', limit: undefined } : belowLimit(Number(m[1]), s);
  // Full-width digits and the like, once more after NFKC.
  const n = s.normalize('NFKC');
  if (n !== s) return parseCell(n);
  return { kind: 'invalid', text: s };
}

/** 1e999 parses to Infinity: that is not a measurement. */
function finite(value: number, text: string): CellValue {
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'invalid', text };
}

function belowLimit(limit: number, text: string): CellValue {
  return Number.isFinite(limit) ? { kind: 'below', limit } : { kind: 'invalid', text };
}

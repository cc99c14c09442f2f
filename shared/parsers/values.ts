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

/** 10^k for k ≤ 15, as literals (exact doubles; a computed power need not be). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A plain decimal — digits, a point and digits, a minus sign before them: `0.52`, `-12`, `1234.5` —
 * of at most 15 digits, read by hand; NaN for any other text (the caller then asks the general
 * reading). The same double Number() gives: the digits make an integer below 2^53 and 10^k (k ≤ 15)
 * is exact, so the one division rounds the exact quotient correctly, as Number() rounds the decimal
 * (Clinger's fast path; test/unit/parsers/values.test.ts holds it to Number()). It spares a cell the
 * runtime call Number() makes on a string, the cost of a row's values in a big file.
 */
export function plainDecimal(s: string): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const start = i;
  let m = 0;
  /** Where the point is; 0 while there is none (a point is never the first character). */
  let point = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) m = m * 10 + d;
    else if (d === -2 && point === 0 && i > start && i < n - 1) point = i; // '.' between digits
    else return NaN;
  }
  if (i === start) return NaN; // no digit: `` or `-`
  const digits = n - start - (point === 0 ? 0 : 1);
  if (digits > 15) return NaN;
  const v = point === 0 ? m : m / (POW10[n - 1 - point] as number);
  return start === 1 ? -v : v;
}

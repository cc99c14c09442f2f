/**
 * Plain-text tables that line up with Chinese text (each CJK character is two columns wide). Cells
 * may hold text from files: control characters are shown escaped, never sent to the terminal.
 */
import stringWidth from 'string-width';
import { terminalSafe } from './terminal-text.js';

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const safeRows = rows.map((r) => r.map(terminalSafe));
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...safeRows.map((r) => stringWidth(r[i] ?? ''))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...safeRows.map(line)].join('\n');
}

/**
 * A number for people, to `digits` significant digits, no trailing zeros: never shows a non-zero
 * value as 0 (`0.00004`, not `0`), never rounds away the integer part (`12345`, not `1.235e+4`).
 */
export function fmt(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined) return '—';
  if (!Number.isFinite(n)) return String(n);
  if (n === 0 || Math.abs(n) >= 10 ** digits) return String(Math.round(n));
  return String(Number(n.toPrecision(digits)));
}

/** At most `columns` terminal columns, cut with an ellipsis. */
export function fitWidth(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (width + w + 1 > columns) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

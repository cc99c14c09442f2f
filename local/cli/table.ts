/** Plain-text tables that line up with Chinese text (each CJK character is two columns wide). */
import stringWidth from 'string-width';

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A number for people: up to `digits` significant decimals, no trailing zeros. */
export function fmt(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined) return '—';
  return String(Number(n.toFixed(digits)));
}

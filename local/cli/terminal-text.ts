/**
 * Text from files (site names, values, reasons quoting cells, file names) shown on a terminal:
 * control characters — escape sequences that recolour or rewrite the screen, carriage returns that
 * overwrite a line, bidi overrides that reorder it — are shown escaped (`\u001b`, `\r`), never sent.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

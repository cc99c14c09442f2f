/**
 * Text from data (site and town names, reasons, recipients) is untrusted: a station name comes
 * from a monitoring file as written. Before it reaches a document it loses control characters,
 * lone surrogates, bidirectional overrides and the XML-forbidden noncharacters (a .docx is XML), and
 * is bounded; in the page it is also HTML-escaped (through `html`) and kept from reading as a
 * spreadsheet formula when a table is pasted into Excel.
 */

/** Characters no document should carry: C0/C1 controls, lone surrogates, bidi embeddings/overrides/isolates, U+FFFE/U+FFFF. */
const UNWANTED = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/gu;

/** Cleans and bounds one piece of data text (whitespace runs become one space; cut with an ellipsis). */
export function cleanText(text: string, maxChars: number): string {
  const s = text.replace(UNWANTED, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...s];
  return chars.length <= maxChars ? s : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/**
 * Spreadsheets read a cell that starts with = + - @ as a formula (CSV/formula injection); a leading
 * apostrophe is the spreadsheet's own "this is text" mark (OWASP's advice), shown as written.
 */
export function inertForSpreadsheets(text: string): string {
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

/** Data text as the page shows it: cleaned, bounded and formula-inert (escaping is `html`'s job). */
export function pageText(text: string, maxChars: number): string {
  return inertForSpreadsheets(cleanText(text, maxChars));
}

/** Markup that is already safe: the only thing `html` interpolates unescaped. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(UNWANTED, ' ').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: every interpolated value is escaped unless it is SafeHtml (or an array of them). */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolated[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup produced by a library that escapes its own text (vega's SVG). */
export function trustedMarkup(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

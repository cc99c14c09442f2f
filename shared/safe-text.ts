/**
 * Text that came from a file, made safe to show: in a reason, a message, a subject, a ledger
 * entry, a terminal. Control characters (C0, C1, line and paragraph separators, bidi overrides, BOM) are
 * escaped so the reader sees they were there (`\n`, `\u001b`), or stripped where no escape may
 * appear; the text is cut with an ellipsis at a length bound. Pure: no I/O, usable anywhere.
 */
import { MAX_QUOTED_CHARS, MAX_REASON_CHARS } from './limits.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeOne = (c: string) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export interface SafeTextOptions {
  /** At most this many characters (code points), the ellipsis included. */
  readonly max?: number;
  /** `escape` (default) shows a control character as `\n`, `\u001b`; `strip` drops it. */
  readonly controls?: 'escape' | 'strip';
}

/** True when `text` holds a character `safeText` would escape or strip. */
export function hasControlChars(text: string): boolean {
  return UNSAFE.test(text);
}

export function safeText(text: string, options: SafeTextOptions = {}): string {
  const max = options.max ?? MAX_REASON_CHARS;
  // The common case, checked without building anything: short, printable.
  if (text.length <= max && !UNSAFE.test(text)) return text;
  // Cut before escaping so a huge input costs no more than `max` characters of work.
  let s = cutText(text, max);
  if (UNSAFE.test(s)) s = options.controls === 'strip' ? s.replace(UNSAFE_ALL, '') : s.replace(UNSAFE_ALL, escapeOne);
  return cutText(s, max);
}

/** `'text'`, made safe and cut (for file content inside a reason). */
export function quote(text: string | number, max: number = MAX_QUOTED_CHARS): string {
  return `'${safeText(String(text), { max })}'`;
}

/**
 * One line of plain text for a message: whitespace runs (line breaks included) become one space,
 * other control characters are dropped, and the text is cut to `max` characters with an ellipsis.
 */
export function oneLine(text: string, max: number): string {
  // Cut generously first so a 10 MB name costs no more than `max` characters of work.
  return safeText(cutText(text, max * 4).replace(/[\s\u2028\u2029\ufeff]+/g, ' ').trim(), { max, controls: 'strip' });
}

/** At most `max` code points, the ellipsis included; a surrogate pair is never split. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  let count = 0;
  while (end < text.length && count < max - 1) {
    const c = text.charCodeAt(end);
    end += c >= 0xd800 && c <= 0xdbff && end + 1 < text.length ? 2 : 1;
    count++;
  }
  if (end >= text.length) return text;
  return `${text.slice(0, end)}…`;
}

/**
 * One Chinese SMS segment holds 70 UCS-2 characters (shared/limits.ts; counted here in UTF-16
 * units, so a character outside the BMP counts twice, as it does on the wire). Longer text is cut rather
 * than split into a second, separately billed segment — at a field or word boundary (Chinese
 * punctuation ，、；：。 or a space), never inside a word or a number, and marked with an ellipsis.
 * The builders put the station and the worst finding first, so what is cut is the least of it.
 */
import { SMS_MAX_CHARS } from '../limits.js';

const BOUNDARY = /[，、；：。 ]/;
const ELLIPSIS = '…';

export function smsText(text: string, max = SMS_MAX_CHARS): string {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s; // UTF-16 units, as UCS-2 counts them
  const chars = [...s]; // code points: a character outside the BMP (two units) is never split
  const room = max - ELLIPSIS.length;
  let fit = 0;
  for (let units = 0; fit < chars.length && units + (chars[fit] as string).length <= room; fit++) units += (chars[fit] as string).length;
  // The last boundary that leaves the text before it within the room; the boundary itself is dropped.
  for (let i = fit; i > 0; i--) {
    if (BOUNDARY.test(chars[i] as string)) return `${trimEnd(chars.slice(0, i).join(''))}${ELLIPSIS}`;
  }
  // No boundary at all (one unbroken run of text): a hard cut is all that is left.
  return `${chars.slice(0, fit).join('')}${ELLIPSIS}`;
}

/** Trailing punctuation and spaces, which would read oddly before the ellipsis. */
function trimEnd(s: string): string {
  return s.replace(/[，、；：。,;:.\s（(]+$/u, '');
}

/**
 * One Chinese SMS segment holds 70 UCS-2 characters (shared/limits.ts). Longer text is cut rather
 * than split into a second, separately billed segment — at a field or word boundary (Chinese
 * punctuation ，、；：。 or a space), never inside a word or a number, and marked with an ellipsis.
 * The builders put the station and the worst finding first, so what is cut is the least of it.
 */
import { SMS_MAX_CHARS } from '../limits.js';

const BOUNDARY = /[，、；：。 ]/;
const ELLIPSIS = '…';

export function smsText(text: string, max = SMS_MAX_CHARS): string {
  const s = text.replace(/\s+/g, ' ').trim();
  const chars = [...s]; // code points: an emoji or a rare character is never split
  if (chars.length <= max) return s;
  const room = max - ELLIPSIS.length;
  // The last boundary that leaves the text before it within the room; the boundary itself is dropped.
  for (let i = room; i > 0; i--) {
    if (BOUNDARY.test(chars[i] as string)) return `${trimEnd(chars.slice(0, i).join(''))}${ELLIPSIS}`;
  }
  // No boundary at all (one unbroken run of text): a hard cut is all that is left.
  return `${chars.slice(0, room).join('')}${ELLIPSIS}`;
}

/** Trailing punctuation and spaces, which would read oddly before the ellipsis. */
function trimEnd(s: string): string {
  return s.replace(/[，、；：。,;:.\s（(]+$/u, '');
}

/**
 * Decoded text → numbered lines (LF or CRLF), a chunk's worth at a time (a batch per chunk keeps the
 * per-line cost to a loop step, not a promise). A line longer than the bound is never held whole:
 * it comes out as `undefined` (to be rejected) the moment it passes the bound, the rest of it is
 * skipped, and the lines after it keep their numbers.
 */
import { MAX_LINE_BYTES } from '../limits.js';

/** A line and its number; the text is undefined for a line over the bound. */
export type Line = [number, string | undefined];

/** Whether `text` (a line or the start of one) is over `max` bytes in UTF-8, without encoding short ones. */
function overBytes(text: string, max: number): boolean {
  if (text.length > max) return true; // a UTF-16 unit is at least one UTF-8 byte
  return text.length * 3 > max && Buffer.byteLength(text, 'utf8') > max;
}

export async function* lineBatches(chunks: AsyncIterable<string>, maxLineBytes: number = MAX_LINE_BYTES): AsyncGenerator<Line[]> {
  let carry = '';
  let n = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    let start = 0;
    const batch: Line[] = [];
    if (skipping) {
      const end = chunk.indexOf('\n');
      if (end < 0) continue;
      skipping = false;
      start = end + 1;
    }
    const text = carry === '' ? chunk : carry + chunk.slice(start);
    if (carry !== '') start = 0;
    for (;;) {
      const i = text.indexOf('\n', start);
      if (i < 0) break;
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      const line = text.slice(start, end);
      batch.push([++n, overBytes(line, maxLineBytes) ? undefined : line]);
      start = i + 1;
    }
    carry = text.slice(start);
    if (overBytes(carry, maxLineBytes)) {
      batch.push([++n, undefined]);
      carry = '';
      skipping = true;
    }
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0) {
    const line = carry.endsWith('\r') ? carry.slice(0, -1) : carry;
    yield [[++n, overBytes(line, maxLineBytes) ? undefined : line]];
  }
}

export const lineTooLong = (maxLineBytes: number = MAX_LINE_BYTES) =>
  `the line is longer than ${maxLineBytes.toLocaleString('en')} bytes (the bound for one line); it is not read`;

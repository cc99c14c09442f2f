/**
 * UTF-8 validity, byte by byte as the WHATWG decoder sees it (an invalid sequence is its maximal
 * valid prefix plus nothing: each becomes one U+FFFD), for two jobs: weighing whether a file's
 * bytes are UTF-8 at all, and naming the lines of a UTF-8 file that hold stray bytes.
 */
import { isUtf8 } from 'node:buffer';

/** Bytes a sequence starting with lead byte `b` needs after it, and the range of its first continuation byte; undefined: `b` starts none. */
function sequence(b: number): readonly [number, number, number] | undefined {
  if (b >= 0xc2 && b <= 0xdf) return [1, 0x80, 0xbf];
  if (b === 0xe0) return [2, 0xa0, 0xbf];
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return [2, 0x80, 0xbf];
  if (b === 0xed) return [2, 0x80, 0x9f];
  if (b === 0xf0) return [3, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [3, 0x80, 0xbf];
  if (b === 0xf4) return [3, 0x80, 0x8f];
  return undefined;
}

/**
 * Length of the UTF-8 sequence at `i`, negative when it is invalid (−n: n bytes make one invalid
 * sequence), 0 when it runs past `end` unfinished.
 */
function step(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i] as number;
  if (b < 0x80) return 1;
  const seq = sequence(b);
  if (!seq) return -1;
  const [need, lo, hi] = seq;
  for (let k = 1; k <= need; k++) {
    if (i + k >= end) return 0;
    const c = buf[i + k] as number;
    const ok = k === 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
    if (!ok) return -k;
  }
  return need + 1;
}

export interface Utf8Evidence {
  /** Well-formed multi-byte sequences. */
  readonly valid: number;
  /** Invalid sequences (each one U+FFFD when decoded as UTF-8). */
  readonly invalid: number;
}

/** Valid multi-byte sequences against invalid ones in `buf[0, end)`; a sequence cut at `end` counts only at the end of the file. */
export function utf8Evidence(buf: Uint8Array, end: number, atEof: boolean): Utf8Evidence {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < end;) {
    if ((buf[i] as number) < 0x80) { i++; continue; }
    const n = step(buf, i, end);
    if (n === 0) { if (atEof) invalid++; break; }
    if (n < 0) { invalid++; i += -n; } else { valid++; i += n; }
  }
  return { valid, invalid };
}

/** Where a sequence cut at the end of `buf` starts (buf.length when none is cut). */
function incompleteTail(buf: Uint8Array): number {
  for (let j = buf.length - 1; j >= 0 && j >= buf.length - 3; j--) {
    const b = buf[j] as number;
    if (b < 0x80) return buf.length;
    if (b >= 0xc0) {
      const seq = sequence(b);
      return seq && j + seq[0] + 1 > buf.length ? j : buf.length;
    }
  }
  return buf.length;
}

export interface InvalidLine {
  readonly line: number;
  /** The first invalid bytes on the line, in hex (`E9`, `C3 28`). */
  readonly bytes: string;
}

const hex = (buf: Uint8Array, from: number, n: number) =>
  Array.from(buf.subarray(from, from + n), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/**
 * Watches the bytes of a UTF-8 file go by, chunk after chunk, and keeps the lines that hold invalid
 * bytes (the first `keep` of them; the rest are counted). Valid chunks — nearly all — cost one
 * native check and a count of their line breaks.
 */
export class Utf8LineCheck {
  private line = 1;
  private carry: Uint8Array = new Uint8Array(0);
  private lastBadLine = 0;
  readonly lines: InvalidLine[] = [];
  /** Lines with invalid bytes beyond the kept ones. */
  more = 0;

  constructor(private readonly keep: number) {}

  feed(chunk: Uint8Array): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(data);
    const body = data.subarray(0, cut);
    if (!isUtf8(body)) this.scan(body, false);
    else this.line += countBreaks(body);
    this.carry = data.slice(cut);
  }

  end(): void {
    if (this.carry.length > 0) this.scan(this.carry, true);
    this.carry = new Uint8Array(0);
  }

  private scan(buf: Uint8Array, atEof: boolean): void {
    for (let i = 0; i < buf.length;) {
      const b = buf[i] as number;
      if (b < 0x80) { if (b === 10) this.line++; i++; continue; }
      const n = step(buf, i, buf.length);
      if (n > 0) { i += n; continue; }
      const len = n === 0 ? (atEof ? buf.length - i : 0) : -n;
      if (len === 0) break;
      this.note(hex(buf, i, Math.min(len, 4)));
      i += len;
    }
  }

  private note(bytes: string): void {
    if (this.line === this.lastBadLine) return;
    this.lastBadLine = this.line;
    if (this.lines.length < this.keep) this.lines.push({ line: this.line, bytes });
    else this.more++;
  }
}

function countBreaks(buf: Uint8Array): number {
  let n = 0;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

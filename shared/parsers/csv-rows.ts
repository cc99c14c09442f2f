/**
 * CSV/TSV text → table rows, streaming: the bytes of a UTF-8 file (or the decoded text of a GB18030
 * one) in, batches of `TableRow`s out, one batch per chunk read, memory flat whatever the file size.
 *
 * It reads what csv-parse reads with the options bishui used (`relax_quotes`, `relax_column_count`,
 * `trim`, a BOM dropped), so the rows are the same (test/unit/parsers/csv-rows.test.ts checks it on
 * random files and chunkings), several times faster (`npm run bench`, parse candidates): RFC 4180
 * quotes (delimiters, doubled quotes and line breaks inside a quoted field), LF, CRLF or CR, a quote
 * inside an unquoted field kept as written, rows of any length. Cells are trimmed as csv-parse's
 * `trim` does: spaces, tabs, CR and form feeds before a field, any white space after an unquoted one,
 * nothing inside quotes.
 *
 * Where it differs, on purpose:
 * - A blank line (nothing, or only white space, or one empty quoted field) yields no row; the lines
 *   after it keep their numbers. csv-parse yields `['']`, which the row code skipped anyway.
 * - The line end is LF (CRLF too) unless the first one in the file, outside quotes, is a lone CR (old
 *   Mac exports, Excel for Mac's "CSV (Macintosh)"): then CR. csv-parse takes whichever of CRLF, LF
 *   or CR it sees first as the only one, so in a CRLF file it reads a lone LF as part of a cell.
 * - A broken record (a quoted field followed by text, a quote never closed, a record over
 *   MAX_LINE_BYTES) is one row with `error` set and no cells, and reading goes on at the line after
 *   the one it started on. csv-parse drops whatever follows a broken quote up to where its state
 *   happens to recover, without a line number to tell.
 * Cells and columns are handed over as many and as long as they are (within the record's bound):
 * what is too long or too wide is the row code's to judge (tabular.ts).
 */
import { MAX_LINE_BYTES } from '../limits.js';
import type { TableRow, TableSource } from './table-rows.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Before a field (and after a closing quote) csv-parse trims these: space, tab, CR, LF, form feed —
 * unless it is the delimiter (a tab in a TSV) or the line end.
 */
function isLeftTrim(c: number): boolean {
  return c === 32 || c === 9 || c === CR || c === LF || c === 12;
}

/**
 * The file's line end from its head: CR when the first line break outside quoted fields is a lone
 * CR, LF otherwise (LF and CRLF files; a head with no line break at all). A quote opens a field
 * only at its start, as the tokenizer reads it.
 */
export function detectLineEnd(head: string, delimiter = ','): '\n' | '\r' {
  const d = delimiter.charCodeAt(0);
  let quoted = false;
  let fieldStart = true;
  for (let i = head.charCodeAt(0) === 0xfeff ? 1 : 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (head.charCodeAt(i + 1) === QUOTE) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === LF) return '\n';
    if (c === CR) return i + 1 < head.length && head.charCodeAt(i + 1) !== LF ? '\r' : '\n';
    if (c === d) fieldStart = true;
    else if (fieldStart && c === QUOTE) { quoted = true; fieldStart = false; }
    else if (!(fieldStart && (c === 32 || c === 9))) fieldStart = false;
  }
  return '\n';
}

/** After an unquoted field csv-parse trims what `String.prototype.trimEnd` trims. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** UTF-8 length of `text[from, to)`, the unit MAX_LINE_BYTES counts in whatever the file's encoding. */
function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

/** A character as it may appear in a message: control characters by code point. */
function shown(c: number): string {
  return c < 32 || c === 127 ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCharCode(c)}'`;
}

/**
 * Text tokenized at a time, so a batch is some hundred rows, not a whole chunk's. A batch and what
 * is made of it downstream live until it is consumed; V8 counts, per allocation site, how many of
 * the objects made since its last scavenge are still alive. Rows made a whole chunk at a time could
 * all be alive then, and V8 began allocating rows straight into the old generation ("pretenuring"):
 * on the bench file it doubled the CPU time and the peak RSS in most runs.
 */
const PIECE_CHARS = 8 * 1024;

/** Cells the scratch array of a record keeps between records. */
const SCRATCH_KEPT = 256;

/** A line over the bound: the words the other line readers use (lines.ts). */
const lineTooLong = (max: number) => `the line is longer than ${max.toLocaleString('en')} bytes (the bound for one line); it is not read`;
/** A record that spans lines (a quoted field) and passes the bound. */
const recordTooLong = (max: number) => `the record starting on this line runs past ${max.toLocaleString('en')} bytes (is a quote left open?); it is not read, reading goes on at the next line`;

/** A row read, made with `new` rather than as an object literal: see record.ts on V8's pretenuring. */
class CellsRow implements TableRow {
  constructor(readonly line: number, readonly cells: readonly string[]) {}
}

/**
 * The tokenizer itself, synchronous: `push` text as it comes, `end` once. Each call returns the rows
 * completed by it. Kept apart from the stream plumbing so tests can feed it any chunking.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly delimiterText: string;
  /** The line end: LF (CRLF files included) or CR. */
  private readonly eol: number;
  private readonly eolText: '\n' | '\r';
  private readonly lineTooLong: string;
  private readonly recordTooLong: string;
  /** The start of a record not yet complete, carried into the next chunk. */
  private carry = '';
  /** The physical line the next record starts on. */
  private line = 1;
  /** After a record over MAX_LINE_BYTES on one line: discarding up to the next line feed. */
  private skipping = false;
  private started = false;
  /** Where the next quote is in the text being scanned, from the current record on (its length if none). */
  private quoteAt = 0;

  // Per record, set by readRecord: its cells (the first `count` of `scratch`), the line feeds it
  // holds and why it is broken. A record's cells are copied out of the one scratch array with
  // slice(): an array literal per record would be an allocation site V8 may pretenure (record.ts).
  private scratch: string[] = [];
  private count = 0;
  private breaks = 0;
  private error: string | undefined;

  /** `maxLineBytes`: a record's bound in UTF-8 bytes, its line end left out (MAX_LINE_BYTES unless a test says less). */
  constructor(delimiter: string, lineEnd: '\n' | '\r' = '\n', private readonly maxLineBytes = MAX_LINE_BYTES) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`a CSV delimiter is one character other than a quote or a line end, not ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.delimiterText = delimiter;
    this.eol = lineEnd.charCodeAt(0);
    this.eolText = lineEnd;
    this.lineTooLong = lineTooLong(maxLineBytes);
    this.recordTooLong = recordTooLong(maxLineBytes);
  }

  /** Characters held for a record not yet complete (at most about MAX_LINE_BYTES and a chunk). */
  get buffered(): number {
    return this.carry.length;
  }

  push(chunk: string): TableRow[] {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.carry === '') return this.scan(chunk, false);
    const lf = chunk.indexOf(this.eolText);
    if (lf < 0) return this.scan(this.carry + chunk, false);
    // Finish the carried record with the chunk's first line, then read the rest of the chunk as it
    // is: `carry + chunk` would copy the whole chunk into a new string, once per chunk.
    const carried = this.carry;
    this.carry = '';
    const rows = this.scan(carried + chunk.slice(0, lf + 1), false);
    const left = this.carry;
    this.carry = '';
    const rest = chunk.slice(lf + 1);
    const more = this.scan(left === '' ? rest : left + rest, false);
    if (rows.length === 0) return more;
    for (const r of more) rows.push(r);
    return rows;
  }

  end(): TableRow[] {
    const rows = this.carry === '' ? [] : this.scan(this.carry, true);
    this.carry = '';
    return rows;
  }

  private scan(text: string, final: boolean): TableRow[] {
    const rows: TableRow[] = [];
    const n = text.length;
    let pos = 0;
    if (this.skipping) {
      const lf = text.indexOf(this.eolText);
      if (lf < 0) { this.carry = ''; return rows; }
      this.skipping = false;
      this.line++;
      pos = lf + 1;
    }
    this.quoteAt = -1;
    while (pos < n) {
      const end = this.readRecord(text, pos, final);
      let to = end < 0 ? n : end;
      if (to > pos && text.charCodeAt(to - 1) === this.eol) to -= this.eol === LF && to - 1 > pos && text.charCodeAt(to - 2) === CR ? 2 : 1;
      // Under a third of the limit in UTF-16 units is under it in bytes: count bytes only past that.
      // Checked on a record still incomplete too: it is rejected as soon as it passes the bound.
      if (to - pos > this.maxLineBytes / 3 && utf8Length(text, pos, to) > this.maxLineBytes) {
        const lf = text.indexOf(this.eolText, pos);
        const oneLine = lf < 0 || lf >= to;
        rows.push({ line: this.line, cells: [], error: oneLine ? this.lineTooLong : this.recordTooLong, tooLong: true });
        if (!oneLine) {
          pos = lf + 1;
          this.line++;
          continue;
        }
        if (end >= 0) { pos = end; this.line += this.breaks; continue; }
        this.skipping = true;
        pos = n;
        break;
      }
      if (end < 0) {
        if (!final) break;
        // final: only an unclosed quote leaves a record incomplete at the end of the file.
        rows.push({ line: this.line, cells: [], error: 'not a CSV row: a quoted field opened on this line is never closed; reading goes on at the next line' });
        const lf = text.indexOf(this.eolText, pos);
        if (lf < 0) { pos = n; break; }
        pos = lf + 1;
        this.line++;
        continue;
      }
      if (this.error !== undefined) rows.push({ line: this.line, cells: [], error: this.error });
      else if (!(this.count === 1 && this.scratch[0] === '')) rows.push(new CellsRow(this.line, this.scratch.slice(0, this.count)));
      this.line += this.breaks;
      pos = end;
    }
    this.carry = pos < n ? text.slice(pos) : '';
    return rows;
  }

  /**
   * Reads the record starting at `pos`: sets cells, breaks and error, and returns the index after
   * its line end — or -1 when the text ends before the record does (and `final` is false, or a
   * quote is still open).
   */
  private readRecord(text: string, pos: number, final: boolean): number {
    const n = text.length;
    let lineEnd = text.indexOf(this.eolText, pos);
    if (lineEnd < 0) {
      if (!final) return -1;
      lineEnd = n;
    }
    // A very wide record's scratch is let go rather than kept for the rest of the file.
    if (this.scratch.length > SCRATCH_KEPT) this.scratch = [];
    this.count = 0;
    this.error = undefined;
    if (this.quoteAt < pos) {
      this.quoteAt = text.indexOf('"', pos);
      if (this.quoteAt < 0) this.quoteAt = n;
    }
    if (this.quoteAt < lineEnd || lineEnd === n) return this.readQuoted(text, pos, final);
    // Most lines hold no quote: split them on the delimiter with indexOf, which V8 runs fast.
    this.breaks = 1;
    const d = this.delimiterText;
    let s = pos;
    for (;;) {
      let e = text.indexOf(d, s);
      if (e < 0 || e > lineEnd) e = lineEnd;
      this.field(this.unquoted(text, s, e));
      if (e === lineEnd) return lineEnd + 1;
      s = e + 1;
    }
  }

  /** A record with a quote somewhere in it, a character at a time. */
  private readQuoted(text: string, pos: number, final: boolean): number {
    const n = text.length;
    const d = this.delimiter;
    const eol = this.eol;
    let i = pos;
    let breaks = 0;
    for (;;) {
      // The start of a field.
      while (i < n && isLeftTrim(text.charCodeAt(i)) && text.charCodeAt(i) !== d && text.charCodeAt(i) !== eol) i++;
      if (i === n) {
        if (!final) return -1;
        this.field('');
        this.breaks = breaks;
        return n;
      }
      let c = text.charCodeAt(i);
      if (c !== QUOTE) {
        const s = i;
        while (i < n && c !== d && c !== eol) c = text.charCodeAt(++i);
        if (i === n && !final) return -1;
        this.field(this.unquoted(text, s, i));
        if (i === n) { this.breaks = breaks; return n; }
        if (c === eol) { this.breaks = breaks + 1; return i + 1; }
        i++;
        continue;
      }
      // A quoted field: up to the next quote that is not doubled.
      const s = ++i;
      let doubled = false;
      let q: number;
      for (;;) {
        q = text.indexOf('"', i);
        if (q < 0 || q + 1 === n) {
          if (!final || q < 0) return -1;
          break;
        }
        if (text.charCodeAt(q + 1) !== QUOTE) break;
        doubled = true;
        i = q + 2;
      }
      let value = text.slice(s, q);
      for (let b = value.indexOf(this.eolText); b >= 0; b = value.indexOf(this.eolText, b + 1)) breaks++;
      if (doubled) value = value.replaceAll('""', '"');
      i = q + 1;
      while (i < n && isLeftTrim(text.charCodeAt(i)) && text.charCodeAt(i) !== d && text.charCodeAt(i) !== eol) i++;
      if (i === n) {
        if (!final) return -1;
        this.field(value);
        this.breaks = breaks;
        return n;
      }
      c = text.charCodeAt(i);
      this.field(value);
      if (c === d) { i++; continue; }
      if (c === eol) { this.breaks = breaks + 1; return i + 1; }
      // Text after a closing quote: the record is broken up to its line end.
      this.error ??= `not a CSV row: a quoted field is followed by ${shown(c)} (expected a delimiter or the end of the line)`;
      const lf = text.indexOf(this.eolText, i);
      if (lf < 0 && !final) return -1;
      this.breaks = breaks + (lf < 0 ? 0 : 1);
      return lf < 0 ? n : lf + 1;
    }
  }

  private field(value: string): void {
    this.scratch[this.count++] = value;
  }

  /** An unquoted field `text[s, e)`, trimmed. */
  private unquoted(text: string, s: number, e: number): string {
    while (s < e && isLeftTrim(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    return s === e ? '' : text.slice(s, e);
  }
}

/**
 * The rows of a CSV/TSV file. `chunks` are the bytes of a UTF-8 file (a BOM is dropped) or text
 * already decoded (decode.ts); `delimiter` and `lineEnd` are the caller's, from the head of the
 * file (`detectDelimiter` in csv.ts, `detectLineEnd` here).
 */
export function csvRows(
  chunks: AsyncIterable<string | Uint8Array>, delimiter: string, lineEnd: '\n' | '\r' = '\n', maxLineBytes = MAX_LINE_BYTES,
): TableSource {
  const tokenizer = new CsvTokenizer(delimiter, lineEnd, maxLineBytes);
  async function* rows(): AsyncGenerator<readonly TableRow[]> {
    const utf8 = new TextDecoder('utf-8');
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true });
      for (let i = 0; i < text.length; i += PIECE_CHARS) {
        const batch = tokenizer.push(i === 0 && text.length <= PIECE_CHARS ? text : text.slice(i, i + PIECE_CHARS));
        if (batch.length > 0) yield batch;
      }
    }
    const tail = utf8.decode();
    const last = [...(tail === '' ? [] : tokenizer.push(tail)), ...tokenizer.end()];
    if (last.length > 0) yield last;
  }
  return { rows: rows(), excelSerialTimes: false };
}

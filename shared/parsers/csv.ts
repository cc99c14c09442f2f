/**
 * CSV/TSV text → table rows, through csv-parse: the reader side of the TableSource contract
 * (table-rows.ts). What the rows mean — header, layout, samples — is tabular.ts's job.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { MAX_LINE_BYTES } from '../limits.js';
import { safeText } from '../safe-text.js';
import { LineGuard } from './line-guard.js';
import type { TableRow, TableSource } from './table-rows.js';

/** Lines looked at to guess the delimiter. */
const DELIMITER_SNIFF_LINES = 10;

export function detectDelimiter(head: string): ',' | '\t' | ';' | '|' {
  const firstLines = head.split(/\r?\n/, DELIMITER_SNIFF_LINES).filter((l) => l.trim() !== '');
  const score = (d: string) => firstLines.reduce((n, l) => Math.max(n, l.split(d).length - 1), 0);
  const candidates = [',', '\t', ';', '|'] as const;
  let best: (typeof candidates)[number] = ',';
  for (const d of candidates) if (score(d) > score(best)) best = d;
  return best;
}

function embeddedBreaks(row: readonly string[]): number {
  let n = 0;
  for (const field of row) {
    if (field.length === 0) continue;
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** A record csv-parse could not read, and how many good records came before it. */
interface Skip { readonly after: number; readonly line: number; readonly reason: string }

/**
 * `bytes` is the file as UTF-8 (csv-parse works on bytes). Line numbers are counted here rather than
 * asked of csv-parse, whose per-record info objects cost a third of the parse: a record spans one
 * line plus the line breaks quoted inside its fields. Blank lines are left out. A line longer than
 * `maxLineBytes` never reaches csv-parse: it becomes an error row.
 */
export function readCsvTable(bytes: AsyncIterable<Uint8Array>, head: string, maxLineBytes = MAX_LINE_BYTES): TableSource {
  const guard = new LineGuard(maxLineBytes);
  return { excelSerialTimes: false, rows: csvRows(guard.guard(bytes), guard, maxLineBytes, detectDelimiter(head)) };
}

async function* csvRows(
  chunks: AsyncIterable<Uint8Array>, guard: LineGuard, maxLineBytes: number, delimiter: string,
): AsyncGenerator<TableRow[]> {
  const skips: Skip[] = [];
  const parser = parse({
    // The BOM is gone already (decode.ts); csv-parse looking for one would hold a first short line back.
    delimiter, bom: false, relax_column_count: true, relax_quotes: true,
    trim: true, skip_records_with_error: true,
    on_skip: (err) => {
      const at = Number((err as { lines?: number } | undefined)?.lines ?? 0);
      // csv-parse's messages quote the field: made safe like any file content.
      skips.push({ after: parser.info.records, line: at, reason: safeText(`not a CSV row: ${err?.message ?? 'malformed'}`) });
      return undefined;
    },
  });
  // A field can hold a line break only inside quotes: until the file shows a quote, rows are one line.
  let quoteSeen = false;
  async function* watchQuotes(): AsyncGenerator<Uint8Array> {
    for await (const c of chunks) {
      if (!quoteSeen) quoteSeen = Buffer.from(c.buffer, c.byteOffset, c.byteLength).includes(0x22);
      yield c;
    }
  }
  const source = Readable.from(watchQuotes(), { objectMode: false });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);

  try {
    yield* records(parser, guard, skips, maxLineBytes, () => quoteSeen);
  } finally {
    // Stopped early (the file was rejected): stop reading the source too, whatever it is in the middle of.
    source.destroy();
  }
}

async function* records(
  parser: ReturnType<typeof parse>, guard: LineGuard, skips: Skip[], maxLineBytes: number, quoteSeen: () => boolean,
): AsyncGenerator<TableRow[]> {
  let line = 0;
  let records = 0;
  // A skipped record goes out where it was in the file: before the first good record that followed it.
  const skipsBefore = (out: TableRow[], upTo: number) => {
    while (skips.length > 0 && skips[0]!.after <= upTo) {
      const s = skips.shift()!;
      line = Math.max(line, s.line);
      out.push({ line: s.line, cells: [], error: s.reason });
    }
  };
  const tooLong = `the line is longer than ${maxLineBytes.toLocaleString('en')} bytes (the bound for one line); it is not read`;
  /** Dropped lines reported before csv-parse reached them (it holds back the end of what it was given). */
  const reportedEarly = new Set<number>();

  // Read a buffer-full at a time (a promise per batch, not per record), woken by csv-parse or by the guard.
  let error: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => { const w = wake; wake = undefined; w?.(); };
  const onEnd = () => { ended = true; signal(); };
  const onError = (e: Error) => { error = e; signal(); };
  parser.on('readable', signal);
  parser.on('end', onEnd);
  parser.on('error', onError);
  guard.onDrop = signal;
  try {
    for (;;) {
      const out: TableRow[] = [];
      let cells: string[] | null;
      while ((cells = parser.read() as string[] | null) !== null) {
        skipsBefore(out, records);
        records++;
        const start = line + 1;
        line += quoteSeen() ? 1 + embeddedBreaks(cells) : 1;
        // A dropped line stands as an empty line: it is reported, and a record it fell inside is lost.
        let holed = false;
        while (guard.dropped.length > 0 && guard.dropped[0]! <= line) {
          const at = guard.dropped.shift()!;
          if (!reportedEarly.delete(at)) out.push({ line: at, cells: [], error: tooLong, tooLong: true });
          if (at >= start) holed = true;
        }
        if (holed && !(cells.length === 1 && cells[0] === '')) {
          out.push({ line: start, cells: [], error: `the record starting here runs over a line that is not read (${tooLong.slice(4)})` });
          continue;
        }
        if (holed || (cells.length === 1 && cells[0] === '')) continue; // blank line
        out.push({ line: start, cells });
      }
      // The next line is being dropped and every line before it is in: say so now, so that a file
      // whose first line is a gigabyte of commas is refused at once rather than once it has been read.
      const next = guard.dropped.find((at) => !reportedEarly.has(at));
      if (next === line + 1 && skips.length === 0) {
        reportedEarly.add(next);
        out.push({ line: next, cells: [], error: tooLong, tooLong: true });
      }
      if (out.length > 0) yield out;
      else if (error) throw error;
      else if (ended) break;
      else await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    parser.off('readable', signal);
    parser.off('end', onEnd);
    parser.off('error', onError);
    guard.onDrop = undefined;
    if (!ended) parser.destroy();
  }
  const tail: TableRow[] = [];
  skipsBefore(tail, Infinity);
  for (const at of guard.dropped.splice(0)) if (!reportedEarly.has(at)) tail.push({ line: at, cells: [], error: tooLong, tooLong: true });
  // csv-parse, once a quoted field is followed by text, reads nothing more and says so only once:
  // the lines it swallowed are reported rather than lost without a word.
  if (error === undefined && guard.lines > line) {
    tail.push({ line: line + 1, cells: [], error: `lines ${line + 1}–${guard.lines} are not read: the CSV quoting breaks before them (a quote inside a field?)` });
  }
  if (tail.length > 0) yield tail;
}

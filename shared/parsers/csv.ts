/**
 * CSV/TSV text → table rows, through csv-parse: the reader side of the TableSource contract
 * (table-rows.ts). What the rows mean — header, layout, samples — is tabular.ts's job.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { batches } from './batches.js';
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
 * `chunks` is UTF-8 bytes (csv-parse works on bytes; decoded text works too). Line numbers are
 * counted here rather than asked of csv-parse, whose per-record info objects cost a third of the
 * parse: a record spans one line plus the line breaks quoted inside its fields. Blank lines are
 * left out.
 */
export function readCsvTable(chunks: AsyncIterable<string | Uint8Array>, head: string): TableSource {
  return { excelSerialTimes: false, rows: csvRows(chunks, detectDelimiter(head)) };
}

async function* csvRows(chunks: AsyncIterable<string | Uint8Array>, delimiter: string): AsyncGenerator<TableRow[]> {
  const skips: Skip[] = [];
  const parser = parse({
    delimiter, bom: true, relax_column_count: true, relax_quotes: true,
    trim: true, skip_records_with_error: true,
    on_skip: (err) => {
      const at = Number((err as { lines?: number } | undefined)?.lines ?? 0);
      skips.push({ after: parser.info.records, line: at, reason: `not a CSV row: ${err?.message ?? 'malformed'}` });
      return undefined;
    },
  });
  // A field can hold a line break only inside quotes: until the file shows a quote, rows are one line.
  let quoteSeen = false;
  async function* watchQuotes(): AsyncGenerator<string | Uint8Array> {
    for await (const c of chunks) {
      if (!quoteSeen) quoteSeen = typeof c === 'string' ? c.includes('"') : Buffer.from(c.buffer, c.byteOffset, c.byteLength).includes(0x22);
      yield c;
    }
  }
  const source = Readable.from(watchQuotes(), { objectMode: false });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);

  let line = 0;
  let records = 0;
  // A skipped record goes out where it was in the file: before the first good record that followed it.
  const skipsBefore = (out: TableRow[], upTo: number) => {
    while (skips.length > 0 && skips[0]!.after <= upTo) {
      const s = skips.shift()!;
      line = Math.max(line, s.line);
      out.push({ line: s.line, cells: [], fault: s.reason });
    }
  };
  for await (const batch of batches<string[]>(parser)) {
    const out: TableRow[] = [];
    for (const cells of batch) {
      skipsBefore(out, records);
      records++;
      line += quoteSeen ? 1 + embeddedBreaks(cells) : 1;
      if (cells.length === 1 && cells[0] === '') continue; // blank line
      out.push({ line, cells });
    }
    if (out.length > 0) yield out;
  }
  const tail: TableRow[] = [];
  skipsBefore(tail, Infinity);
  if (tail.length > 0) yield tail;
}

/**
 * Bare parses of one CSV file by each candidate parser, side by side: read the file, split it into
 * records, count them — nothing decoded beyond what the parser does, nothing evaluated. What chose
 * the CSV reader (shared/parsers/csv-rows.ts); each runs in a fresh process (bench/main.ts).
 *
 * What each can do that bishui needs is in CANDIDATES; the figures say how fast.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parse as csvParse } from 'csv-parse';
import { csvParseRows } from 'd3-dsv';
import csvParser from 'csv-parser';
import { parse as fastCsv } from '@fast-csv/parse';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { csvRows } from '../shared/parsers/csv-rows.js';

export const CANDIDATES = {
  'csv-parse': 'the parser bishui used; streams bytes; relaxed quotes, trim; line numbers only at a third of its speed',
  'csv-rows': "bishui's tokenizer: streams bytes or text; csv-parse's reading, line numbers, bounded records, columns and cells",
  papaparse: 'streams text; no line numbers; an unclosed quote holds the rest of the file in memory',
  udsv: 'streams text; no line numbers; one line ending per file; a quote left open holds the rest of the file in memory',
  'd3-dsv': 'whole text only, no streaming',
  'csv-parser': 'streams bytes; no trim, no relaxed quotes',
  'fast-csv': 'streams bytes; no line numbers',
} as const;

export type Candidate = keyof typeof CANDIDATES;

async function* text(path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of createReadStream(path)) yield decoder.decode(chunk as Buffer, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Records (the header included) read by `candidate` from the file at `path`. */
export async function bareParse(candidate: Candidate, path: string): Promise<number> {
  let records = 0;
  switch (candidate) {
    case 'csv-parse':
      for await (const _ of createReadStream(path).pipe(csvParse({ relax_column_count: true }))) records++;
      return records;
    case 'csv-rows':
      for await (const batch of csvRows(createReadStream(path), ',').rows) records += batch.length;
      return records;
    case 'papaparse':
      // Chunk mode: a row at a time through its Node stream API (NODE_STREAM_INPUT) costs it ten times more.
      await new Promise<void>((resolve, reject) => {
        Papa.parse(createReadStream(path, { encoding: 'utf8' }) as unknown as File, {
          chunk: (r: Papa.ParseResult<string[]>) => { records += r.data.length; },
          complete: () => resolve(), error: (e: Error) => reject(e),
        });
      });
      return records;
    case 'udsv': {
      let parser: ReturnType<typeof initParser> | undefined;
      for await (const chunk of text(path)) {
        parser ??= initParser(inferSchema(chunk, { col: ',', row: '\n', trim: true }));
        parser.chunk<string[]>(chunk, parser.stringArrs, () => { records++; });
      }
      parser?.end();
      return records;
    }
    case 'd3-dsv':
      return csvParseRows(readFileSync(path, 'utf8')).length;
    case 'csv-parser':
      for await (const _ of createReadStream(path).pipe(csvParser({ headers: false }))) records++;
      return records;
    case 'fast-csv':
      for await (const _ of createReadStream(path).pipe(fastCsv())) records++;
      return records;
  }
}

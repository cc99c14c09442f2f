/**
 * CSV/TSV text → table rows: the delimiter and line end guessed from the head, the rows read by the
 * tokenizer (csv-rows.ts). What the rows mean — header, layout, samples — is tabular.ts's job.
 */
import { MAX_LINE_BYTES } from '../limits.js';
import { csvRows, detectLineEnd } from './csv-rows.js';
import type { TableSource } from './table-rows.js';

/** Lines looked at to guess the delimiter. */
const DELIMITER_SNIFF_LINES = 10;

export function detectDelimiter(head: string): ',' | '\t' | ';' | '|' {
  const firstLines = head.split(/\r?\n|\r/, DELIMITER_SNIFF_LINES).filter((l) => l.trim() !== '');
  const score = (d: string) => firstLines.reduce((n, l) => Math.max(n, l.split(d).length - 1), 0);
  const candidates = [',', '\t', ';', '|'] as const;
  let best: (typeof candidates)[number] = ',';
  for (const d of candidates) if (score(d) > score(best)) best = d;
  return best;
}

/**
 * `text` is the file's decoded text (decode.ts), `head` its start. A record longer than
 * `maxLineBytes` becomes an error row as soon as it passes the bound, never held whole.
 */
export function readCsvTable(text: AsyncIterable<string>, head: string, maxLineBytes = MAX_LINE_BYTES): TableSource {
  const delimiter = detectDelimiter(head);
  return csvRows(text, delimiter, detectLineEnd(head, delimiter), maxLineBytes);
}

/** Runs the file reader over bytes in memory and collects what it yields. */
import { Readable } from 'node:stream';
import { defaultRegistry } from '../../shared/config/registry.js';
import type { Sample } from '../../shared/domain/sample.js';
import { events, openMonitoringFile, type ReadOptions } from '../../shared/parsers/read.js';
import type { ParseContext, ParseEvent } from '../../shared/parsers/types.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { FUTURE_TOLERANCE_MS } from '../../shared/parsers/record.js';
import type { TableRow } from '../../shared/parsers/table-rows.js';
import { parseTable } from '../../shared/parsers/tabular.js';

export interface Parsed {
  format: string;
  encoding: string;
  gzip: boolean;
  samples: Sample[];
  rejected: { line: number; reason: string }[];
  skipped: { line: number; reason: string }[];
  warnings: string[];
}

/** Feeds `bytes` in small chunks so chunk boundaries fall inside characters and rows. */
export function chunked(bytes: Uint8Array, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts);
}

export async function parseBytes(
  bytes: Uint8Array | string, file = 'test.csv', options: Partial<ReadOptions> & { chunk?: number } = {},
): Promise<Parsed> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const opened = await openMonitoringFile(chunked(buf, options.chunk ?? 4096), file, { registry: defaultRegistry(), ...options });
  const out: Parsed = { format: opened.format, encoding: opened.encoding, gzip: opened.gzip, samples: [], rejected: [], skipped: [], warnings: [] };
  for await (const ev of events(opened) as AsyncIterable<ParseEvent>) {
    if (ev.type === 'sample') out.samples.push(ev.sample);
    else if (ev.type === 'rejected') out.rejected.push({ line: ev.line, reason: ev.reason });
    else if (ev.type === 'skipped') out.skipped.push({ line: ev.line, reason: ev.reason });
    else out.warnings.push(ev.message);
  }
  return out;
}

export const shanghai = (local: string) => Date.parse(`${local.replace(' ', 'T')}+08:00`);

/** Runs the table core over rows built in the test (a workbook's sheets, say), as read.ts would. */
export async function parseRows(
  rows: readonly TableRow[], options: { file?: string; excelSerialTimes?: boolean; registry?: SiteRegistry; now?: number } = {},
): Promise<Omit<Parsed, 'format' | 'encoding' | 'gzip'> & { events: ParseEvent[] }> {
  const ctx: ParseContext = {
    file: options.file ?? 'book.xlsx', registry: options.registry ?? defaultRegistry(), zone: DEFAULT_ZONE,
    notAfter: (options.now ?? Date.now()) + FUTURE_TOLERANCE_MS,
  };
  async function* batches(): AsyncGenerator<readonly TableRow[]> {
    for (let i = 0; i < rows.length; i += 3) yield rows.slice(i, i + 3);
  }
  const out = { samples: [] as Sample[], rejected: [] as Parsed['rejected'], skipped: [] as Parsed['skipped'], warnings: [] as string[], events: [] as ParseEvent[] };
  for await (const batch of parseTable({ rows: batches(), excelSerialTimes: options.excelSerialTimes ?? false }, ctx)) {
    for (const ev of batch) {
      out.events.push(ev);
      if (ev.type === 'sample') out.samples.push(ev.sample);
      else if (ev.type === 'rejected') out.rejected.push({ line: ev.line, reason: ev.reason });
      else if (ev.type === 'skipped') out.skipped.push({ line: ev.line, reason: ev.reason });
      else out.warnings.push(ev.message);
    }
  }
  return out;
}

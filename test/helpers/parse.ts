/** Runs the file reader over bytes in memory and collects what it yields. */
import { Readable } from 'node:stream';
import { defaultRegistry } from '../../shared/config/registry.js';
import type { Sample } from '../../shared/domain/sample.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { events, openMonitoringFile, type ReadOptions } from '../../shared/parsers/read.js';
import { FUTURE_TOLERANCE_MS } from '../../shared/parsers/record.js';
import type { TableRow } from '../../shared/parsers/table-rows.js';
import { parseTable } from '../../shared/parsers/tabular.js';
import type { CellFault, ParseContext, ParseEvent } from '../../shared/parsers/types.js';

export interface Collected {
  samples: Sample[];
  rejected: { line: number; reason: string }[];
  skipped: { line: number; reason: string }[];
  /** Dropped cells, without the event's type. */
  cells: CellFault[];
  /** The file's missing-value count (0 when none was reported). */
  missing: number;
  warnings: string[];
  /** Every event in order. */
  events: ParseEvent[];
}

export interface Parsed extends Collected {
  format: string;
  encoding: string;
  gzip: boolean;
}

/** Feeds `bytes` in small chunks so chunk boundaries fall inside characters and rows. */
export function chunked(bytes: Uint8Array, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts);
}

function collector(): Collected & { add(ev: ParseEvent): void } {
  const c: Collected = { samples: [], rejected: [], skipped: [], cells: [], missing: 0, warnings: [], events: [] };
  return {
    ...c,
    add(ev: ParseEvent) {
      this.events.push(ev);
      switch (ev.type) {
        case 'sample': this.samples.push(ev.sample); break;
        case 'rejected': this.rejected.push({ line: ev.line, reason: ev.reason }); break;
        case 'skipped': this.skipped.push({ line: ev.line, reason: ev.reason }); break;
        case 'cell': { const { type: _t, ...f } = ev; this.cells.push(f); break; }
        case 'missing': this.missing += ev.count; break;
        case 'warning': this.warnings.push(ev.message); break;
      }
    },
  };
}

export async function parseBytes(
  bytes: Uint8Array | string, file = 'test.csv', options: Partial<ReadOptions> & { chunk?: number } = {},
): Promise<Parsed> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return parseStream(chunked(buf, options.chunk ?? 4096), file, options);
}

/** Reads any byte stream (a generated one, say) and collects what comes out. */
export async function parseStream(
  stream: AsyncIterable<Uint8Array>, file = 'test.csv', options: Partial<ReadOptions> = {},
): Promise<Parsed> {
  const opened = await openMonitoringFile(stream, file, { registry: defaultRegistry(), ...options });
  const c = collector();
  for await (const ev of events(opened)) c.add(ev);
  const { add: _a, ...collected } = c;
  return { format: opened.format, encoding: opened.encoding, gzip: opened.gzip, ...collected };
}

/** Runs the table core over rows built in the test (a workbook's sheets, say), as read.ts would. */
export async function parseRows(
  rows: readonly TableRow[], options: { file?: string; excelSerialTimes?: boolean; registry?: SiteRegistry; now?: number } = {},
): Promise<Collected> {
  const ctx: ParseContext = {
    file: options.file ?? 'book.xlsx', registry: options.registry ?? defaultRegistry(), zone: DEFAULT_ZONE,
    notAfter: (options.now ?? Date.now()) + FUTURE_TOLERANCE_MS,
  };
  async function* batches(): AsyncGenerator<readonly TableRow[]> {
    for (let i = 0; i < rows.length; i += 3) yield rows.slice(i, i + 3);
  }
  const c = collector();
  for await (const batch of parseTable({ rows: batches(), excelSerialTimes: options.excelSerialTimes ?? false }, ctx)) {
    for (const ev of batch) c.add(ev);
  }
  const { add: _a, ...collected } = c;
  return collected;
}

export const shanghai = (local: string) => Date.parse(`${local.replace(' ', 'T')}+08:00`);

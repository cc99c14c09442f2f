/**
 * One entry point for every monitoring file: detects the format from the content (the extension is
 * only a tie-breaker), decodes, and streams ParseEvents from the right parser. An Excel workbook is
 * told by its first bytes and read as a table (xlsx-rows.ts) before any text decoding.
 */
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import { readCsvTable } from './csv.js';
import type { DecodeLimits, OpenedText } from './decode.js';
import { openText } from './decode.js';
import { parseHj212 } from './hj212.js';
import { holdsSampleArray, parseJson, parseNdjson } from './json.js';
import { parseTable } from './tabular.js';
import { FUTURE_TOLERANCE_MS } from './record.js';
import { OFFICE_HEAD_BYTES } from '../limits.js';
import { officeKind, officeRefusal } from './office.js';
import { xlsxRows } from './xlsx-rows.js';
import type { FileFormat, ParseContext, ParseEvent } from './types.js';
import { FileRejectedError } from './types.js';

export interface ReadOptions {
  readonly registry: SiteRegistry;
  readonly zone?: string;
  /** The clock, for rejecting future times. */
  readonly now?: () => number;
  /** The S3 key or path, when `file` is only a display name; searched for a site name. */
  readonly key?: string;
  /** Times before 1 January of this year are rejected (DEFAULT_MIN_PLAUSIBLE_YEAR unless configured). */
  readonly minYear?: number;
  /** Smaller bounds than limits.ts's, for tests. */
  readonly limits?: DecodeLimits;
}

export interface OpenedFile {
  readonly format: FileFormat;
  readonly encoding: string;
  readonly gzip: boolean;
  /** What the file holds, in order, a batch at a time (see `events` for one at a time). */
  readonly batches: AsyncGenerator<ParseEvent[]>;
}

/** One event at a time, for callers where a promise per record does not matter. */
export async function* events(file: OpenedFile): AsyncGenerator<ParseEvent> {
  for await (const batch of file.batches) yield* batch;
}

const HJ212_PACKET = /##\d{4}(?:QN|ST)=/;

export function detectFormat(head: string, file: string): Exclude<FileFormat, 'xlsx'> {
  const text = head.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed === '') throw new FileRejectedError(file, 'the file is empty (or holds only blank lines)', '文件为空（或只有空行）');
  const firstLines = trimmed.split(/\r?\n|\r/, 5);
  if (firstLines.some((l) => HJ212_PACKET.test(l))) return 'hj212';
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) {
    const first = firstLines[0]?.trim() ?? '';
    try {
      const v: unknown = JSON.parse(first);
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && !holdsSampleArray(v)) return 'ndjson';
      return 'json';
    } catch {
      return /\.(ndjson|jsonl)(\.gz)?$/i.test(file) ? 'ndjson' : 'json';
    }
  }
  if (trimmed.startsWith('<')) throw new FileRejectedError(file, 'is XML or HTML, not monitoring data (expected CSV, JSON, NDJSON, an HJ 212 log or an .xlsx workbook)', '文件是 XML 或 HTML 网页，不是监测数据（应为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿）');
  const header = firstLines[0] ?? '';
  if (header.includes('\t')) return 'tsv';
  return 'csv';
}

/** The first `n` bytes of a stream (fewer if it is shorter), and the whole stream, head included. */
async function peek(bytes: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Buffer; all: AsyncGenerator<Uint8Array> }> {
  const it = bytes[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    held.push(r.value);
    size += r.value.byteLength;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* held.splice(0);
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: Buffer.concat(held), all: all() };
}

/** An .xlsx by its entry names; a ZIP whose head names none is taken for one only when its name says so. */
function isWorkbook(head: Buffer, file: string): boolean {
  const kind = officeKind(head);
  return kind === 'xlsx' || (kind === 'zip' && /\.xlsx$/i.test(file));
}

export async function openMonitoringFile(
  bytes: AsyncIterable<Uint8Array>, file: string, options: ReadOptions,
): Promise<OpenedFile> {
  const peeked = await peek(bytes, OFFICE_HEAD_BYTES);
  if (isWorkbook(peeked.head, file)) return openWorkbook(peeked.all, file, options);
  const kind = officeKind(peeked.head);
  const refusal = kind === undefined ? undefined : officeRefusal(kind);
  if (refusal) throw new FileRejectedError(file, refusal.reason, refusal.reasonZh);
  const opened = await openText(peeked.all, file, options.limits);
  const format = detectFormat(opened.head, file);
  const ctx = parseContext(file, options);
  const batches = ((): AsyncGenerator<ParseEvent[]> => {
    switch (format) {
      case 'csv':
      case 'tsv':
        return parseTable(readCsvTable(opened.chunks, opened.head, ctx.maxLineBytes), ctx);
      case 'json':
        return parseJson(opened.chunks, ctx);
      case 'ndjson':
        return parseNdjson(opened.chunks, ctx);
      case 'hj212':
        return parseHj212(opened.chunks, ctx);
    }
  })();
  return { format, encoding: opened.encoding, gzip: opened.gzip, batches: withDecodeWarnings(batches, opened) };
}

/**
 * An .xlsx: every sheet that looks like monitoring data, rows labelled `Sheet!row`. Its text is
 * Unicode by definition (the workbook's XML parts are UTF-8), so there is no encoding to decide.
 */
function openWorkbook(bytes: AsyncIterable<Uint8Array>, file: string, options: ReadOptions): OpenedFile {
  const ctx = parseContext(file, options);
  return { format: 'xlsx', encoding: 'utf-8', gzip: false, batches: parseTable(xlsxRows(bytes, file), ctx) };
}

function parseContext(file: string, options: ReadOptions): ParseContext {
  const key = options.key ?? file;
  const fileSite = options.registry.findInPath(key.split('/').slice(-3).join('/'));
  const now = options.now ?? Date.now;
  const ctx: ParseContext = {
    file, registry: options.registry, zone: options.zone ?? DEFAULT_ZONE,
    notAfter: now() + FUTURE_TOLERANCE_MS,
    ...(options.minYear !== undefined ? { minYear: options.minYear } : {}),
    ...(options.limits?.maxLineBytes !== undefined ? { maxLineBytes: options.limits.maxLineBytes } : {}),
    ...(fileSite ? { fileSite: fileSite.id } : {}),
  };
  return ctx;
}

/** The parser's events, then — once the text has been read — the lines that held invalid bytes. */
async function* withDecodeWarnings(batches: AsyncGenerator<ParseEvent[]>, opened: OpenedText): AsyncGenerator<ParseEvent[]> {
  yield* batches;
  const { lines, more } = opened.invalidLines();
  const out: ParseEvent[] = lines.map(({ line, bytes }) => ({
    type: 'warning', line, message: `bytes that are not valid UTF-8 (${bytes}) were read as U+FFFD (�)`,
  }));
  if (more > 0) out.push({ type: 'warning', message: `${more} more lines hold bytes that are not valid UTF-8, read as U+FFFD (�)` });
  if (out.length > 0) yield out;
}

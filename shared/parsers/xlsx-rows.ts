/**
 * `.xlsx` workbooks → table rows, streaming: every sheet in turn (hidden ones too: the row code
 * decides what is monitoring data), each row with its sheet's name and its Excel row number, cells
 * as the text the row code reads (see `cellText`), trailing empty cells dropped, rows with no text
 * left out. A merged range holds its value in its top-left cell only, as Excel stores it.
 *
 * Built on exceljs's streaming reader (its zip entry, workbook, styles, shared-strings and worksheet
 * parsers), with the walk over the zip entries done here, for what exceljs's own walk lacks:
 * - every inflated byte is counted against MAX_DECOMPRESSED_BYTES (a zip bomb stops there);
 * - a sheet that comes before the shared strings, styles or sheet names it needs — as Excel and
 *   exceljs both write their files — waits in a temporary file, gzipped, so the disk holds about
 *   the compressed size and memory stays flat (exceljs keeps it inflated);
 * - such sheets are then read in the workbook's tab order, not in zip order.
 * Memory: the shared-strings table (which every reader must hold: cells refer to it by number),
 * bounded by the same byte count, and one batch of rows. Cells are handed over as long and as many
 * as they are: what is too long or too wide is the row code's to judge (tabular.ts).
 *
 * exceljs and unzipper are loaded with the first workbook (xlsx-engine.ts): a deployed function
 * ships them as a bundle of their own beside the handler, outside the handler's bundle.
 *
 * Known limits of exceljs 4.4 that show here: a formula whose cached result is an error keeps no
 * text of it (read as `#N/A`); an inline (not shared) rich-text string keeps its last run only.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { MAX_DECOMPRESSED_BYTES, MAX_SHARED_STRINGS_BYTES } from '../limits.js';
import { excelSerialToWallClock, serialOfUtcWallClock } from './excel-serial.js';
import type { TableRow, TableSource } from './table-rows.js';
import { FileRejectedError } from './types.js';

/** A zip entry as unzipper's streaming `Parse` hands it over. */
interface ZipEntry extends Readable {
  readonly path: string;
  readonly type: 'File' | 'Directory';
  autodrain(): unknown;
}

/** The parts of exceljs's streaming WorkbookReader used here (not in its type declarations). */
interface ExcelWorkbookReader {
  sharedStrings?: unknown[];
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { id: number; name: string; rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: ExcelWorksheetReader }>;
}

interface ExcelWorksheetReader {
  name: string;
  parse(): AsyncGenerator<{ eventType: string; value: unknown }[]>;
}

interface ExcelRow {
  readonly number: number;
  readonly values: unknown[];
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** The shortest decimal that is the number to Excel's 15 significant digits: 0.1 + 0.2 → `0.3`. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '#NUM!';
  const shortest = String(n);
  // 15 characters hold at most 15 digits: already what Excel shows (and toPrecision costs 10×).
  return shortest.length <= 15 ? shortest : String(Number(n.toPrecision(15)));
}

/**
 * A cell's value, as exceljs gives it, as text: numbers by `numberText`, date-formatted cells as
 * local wall-clock text (`2023-07-15 08:00:00`; exceljs hands them over as Dates whose UTC fields
 * are the wall clock), rich text and shared strings flattened, a formula as its cached result,
 * an error cell as its text (`#N/A`, `#DIV/0!`), TRUE/FALSE, nothing as ''.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return excelSerialToWallClock(serialOfUtcWallClock(value)) ?? '';
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: unknown }[]; error?: unknown; result?: unknown; formula?: unknown; sharedFormula?: unknown; text?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if (typeof v.error === 'string') return v.error;
    if ('formula' in v || 'sharedFormula' in v) {
      // exceljs reads an error result as parseFloat('#DIV/0!'): NaN, its text lost.
      return typeof v.result === 'number' && Number.isNaN(v.result) ? '#N/A' : cellText(v.result);
    }
    if (typeof v.text === 'string') return v.text;
  }
  return '';
}

/** One row of a sheet as a TableRow; trailing empty cells dropped, an all-empty row undefined. */
function tableRow(row: ExcelRow, sheet: string): TableRow | undefined {
  const values = row.values;
  const cells: string[] = [];
  let last = 0;
  for (let col = 1; col < values.length; col++) {
    const text = cellText(values[col]);
    cells.push(text);
    if (text.trim() !== '') last = col;
  }
  if (last === 0) return undefined;
  cells.length = last;
  return { line: row.number, sheet, cells };
}

/** The bounds, from shared/limits.ts; tests make them small. */
export interface XlsxBounds {
  readonly inflatedBytes: number;
  readonly sharedStringsBytes: number;
}

const BOUNDS: XlsxBounds = { inflatedBytes: MAX_DECOMPRESSED_BYTES, sharedStringsBytes: MAX_SHARED_STRINGS_BYTES };

/** Counts the bytes inflated from the whole workbook; past the bound the read stops with a rejection. */
class InflatedBytes {
  total = 0;
  constructor(private readonly file: string, private readonly max: number) {}
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        this.total += chunk.length;
        if (this.total > this.max) {
          done(new FileRejectedError(this.file, `the workbook inflates to more than ${this.max} bytes (a zip bomb, or far too big a workbook); nothing past that is read`,
            '工作簿解压后超过单个文件的大小上限（可能是压缩炸弹或工作簿过大），未读取超出部分；请拆分后上传'));
          return;
        }
        done(null, chunk);
      },
    });
  }
}

/** Reads an entry through the meter, and through a bound of its own when given. */
function metered(entry: ZipEntry, bytes: InflatedBytes, own?: Transform): Readable {
  const meter = bytes.meter();
  entry.on('error', (e) => meter.destroy(e));
  const counted = entry.pipe(meter);
  if (!own) return counted;
  counted.on('error', (e) => own.destroy(e));
  return counted.pipe(own);
}

function sharedStringsBound(file: string, max: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      total += chunk.length;
      if (total > max) {
        done(new FileRejectedError(file, `the workbook's shared strings take more than ${max} bytes, more than bishui holds in memory; save the sheets as CSV`,
          '工作簿的共享字符串过大，超出内存上限；请将工作表另存为 CSV 后上传'));
        return;
      }
      done(null, chunk);
    },
  });
}

/**
 * The rows of an `.xlsx` workbook, every sheet in turn. `file` names it in rejections (a zip bomb,
 * a damaged zip).
 */
export function xlsxRows(bytes: AsyncIterable<Uint8Array>, file: string, bounds: XlsxBounds = BOUNDS): TableSource {
  async function* rows(): AsyncGenerator<readonly TableRow[]> {
    // Loaded when a workbook comes: exceljs takes longer to load than the rest of the function.
    const { ExcelJS, unzipper } = await import('./xlsx-engine.mjs');
    // Its parsers only: the zip is walked here (its input is never read).
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
    }) as unknown as ExcelWorkbookReader;
    const inflated = new InflatedBytes(file, bounds.inflatedBytes);
    const zip = (unzipper as unknown as { Parse(o: { forceStream: boolean }): NodeJS.ReadWriteStream & AsyncIterable<ZipEntry> })
      .Parse({ forceStream: true });
    const source = Readable.from(bytes);
    // The source failing (the S3 body broke off) is no fault of the workbook's: passed on as it is.
    let sourceError: unknown;
    source.on('error', (e) => { sourceError ??= e; zip.emit('error', e); });
    source.pipe(zip);
    // unzipper reports a damaged entry (bad deflate data) on the zip stream, not on the entry, whose
    // reader would then wait for ever: hand the error to whoever reads the entry.
    // It may come while no one reads yet (a temp directory being made): kept for the next reader.
    let current: Readable | undefined;
    let zipError: Error | undefined;
    zip.on('error', (e: Error) => { zipError ??= e; current?.destroy(e); });
    const open = (entry: ZipEntry, own?: Transform): Readable => {
      current = metered(entry, inflated, own);
      if (zipError) current.destroy(zipError);
      return current;
    };
    let spool: string | undefined;
    const waiting = new Map<string, string>();
    let sharedStrings = false;
    let styles = false;
    try {
      for await (const entry of zip) {
        const sheet = SHEET.exec(entry.path);
        switch (entry.path) {
          case 'xl/_rels/workbook.xml.rels': await reader._parseRels(open(entry)); continue;
          case 'xl/workbook.xml': await reader._parseWorkbook(open(entry)); continue;
          case 'xl/styles.xml': await reader._parseStyles(open(entry)); styles = true; continue;
          case 'xl/sharedStrings.xml':
            // Held in memory by every reader (cells refer to them by number): bounded on its own.
            for await (const _ of reader._parseSharedStrings(open(entry, sharedStringsBound(file, bounds.sharedStringsBytes)))) { /* cached by the reader */ }
            sharedStrings = true;
            continue;
        }
        if (!sheet) { entry.autodrain(); continue; }
        const no = sheet[1] as string;
        if (sharedStrings && styles && reader.workbookRels && reader.model) {
          yield* sheetRows(reader, open(entry), no);
          continue;
        }
        spool ??= await mkdtemp(join(tmpdir(), 'bishui-xlsx-'));
        const path = join(spool, `sheet${no}.xml.gz`);
        await pipeline(open(entry), createGzip({ level: 1 }), createWriteStream(path));
        waiting.set(no, path);
      }
      for (const no of tabOrder(reader, [...waiting.keys()])) {
        yield* sheetRows(reader, createReadStream(waiting.get(no) as string).pipe(createGunzip()), no);
      }
    } catch (err) {
      if (sourceError !== undefined) throw sourceError;
      if (err instanceof FileRejectedError) throw err;
      throw new FileRejectedError(file, `is not a readable .xlsx workbook (${(err as Error).message})`, '无法读取该 .xlsx 工作簿（文件可能已损坏或未完整上传）；请在 Excel 中重新保存或导出为 CSV');
    } finally {
      source.destroy();
      if (spool) await rm(spool, { recursive: true, force: true });
    }
  }
  return { rows: rows(), excelSerialTimes: true };
}

/**
 * The workbook's sheets by file number (sheetN.xml): tab position and name. Relationship targets
 * may be relative (`worksheets/sheet1.xml`, as Excel writes) or absolute (`/xl/worksheets/sheet1.xml`,
 * as openpyxl writes); exceljs matches the first form only.
 */
function sheetsByNumber(reader: ExcelWorkbookReader): Map<string, { tab: number; name: string }> {
  const sheets = new Map<string, { tab: number; name: string }>();
  const rels = reader.workbookRels ?? [];
  (reader.model?.sheets ?? []).forEach((s, tab) => {
    const target = rels.find((r) => r.Id === s.rId)?.Target;
    const m = target ? /worksheets\/sheet(\d+)\.xml$/.exec(target) : null;
    if (m) sheets.set(m[1] as string, { tab, name: s.name });
  });
  return sheets;
}

/** Sheet numbers in the workbook's tab order; any the workbook does not list, after. */
function tabOrder(reader: ExcelWorkbookReader, sheetNos: string[]): string[] {
  const sheets = sheetsByNumber(reader);
  const rank = (no: string) => sheets.get(no)?.tab ?? Number.MAX_SAFE_INTEGER;
  return [...sheetNos].sort((a, b) => rank(a) - rank(b) || Number(a) - Number(b));
}

async function* sheetRows(reader: ExcelWorkbookReader, xml: Readable, sheetNo: string): AsyncGenerator<readonly TableRow[]> {
  const name = sheetsByNumber(reader).get(sheetNo)?.name;
  for (const { value: worksheet } of reader._parseWorksheet(xml, sheetNo)) {
    if (name !== undefined) worksheet.name = name;
    for await (const events of worksheet.parse()) {
      const batch: TableRow[] = [];
      for (const { eventType, value } of events) {
        if (eventType !== 'row') continue;
        const row = tableRow(value as ExcelRow, worksheet.name);
        if (row) batch.push(row);
      }
      if (batch.length > 0) yield batch;
    }
  }
}

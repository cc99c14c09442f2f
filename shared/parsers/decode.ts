/**
 * Bytes → text, without being told the encoding: gunzips gzip, honours a BOM, and otherwise reads
 * UTF-8 when the head of the file is valid UTF-8 and GB18030 (a superset of GBK) when it is not.
 * Files that are plainly not text (PDF, images, spreadsheets, archives) are refused by name.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { officeKind, officeRefusal } from './office.js';
import { FileRejectedError } from './types.js';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface OpenedText {
  readonly encoding: TextEncodingName;
  readonly gzip: boolean;
  /** The decoded start of the file (at least HEAD_BYTES bytes' worth, or all of it). */
  readonly head: string;
  /** All of the text, head included, in order. Use this or `utf8Bytes`, not both. */
  readonly chunks: AsyncIterable<string>;
  /**
   * For UTF-8 files, the bytes themselves (BOM removed), so a byte-level parser such as csv-parse
   * need not re-encode decoded text; undefined for other encodings.
   */
  readonly utf8Bytes: AsyncIterable<Uint8Array> | undefined;
}

export const HEAD_BYTES = 64 * 1024;

const SIGNATURES: readonly [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x42, 0x5a, 0x68], 'a bzip2 archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
];

function startsWith(buf: Uint8Array, sig: number[]): boolean {
  return buf.length >= sig.length && sig.every((b, i) => buf[i] === b);
}

async function readHead(it: AsyncIterator<Uint8Array>): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(parts), done: true };
    const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    parts.push(b);
    size += b.length;
  }
  return { head: Buffer.concat(parts), done: false };
}

async function* rest(head: Buffer, it: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  if (head.length > 0) yield head;
  if (done) return;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

function isUtf8(head: Buffer, complete: boolean): boolean {
  try {
    // stream: true tolerates a multi-byte character cut at the end of the head.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

function detectEncoding(head: Buffer, complete: boolean): { encoding: TextEncodingName; label: string; skip: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8-bom', label: 'utf-8', skip: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', label: 'utf-16le', skip: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', label: 'utf-16be', skip: 2 };
  if (isUtf8(head, complete)) return { encoding: 'utf-8', label: 'utf-8', skip: 0 };
  return { encoding: 'gb18030', label: 'gb18030', skip: 0 };
}

export async function openText(bytes: AsyncIterable<Uint8Array>, file: string, gunzipped = false): Promise<OpenedText> {
  const it = bytes[Symbol.asyncIterator]();
  const { head, done } = await readHead(it);
  if (!gunzipped && startsWith(head, [0x1f, 0x8b])) {
    const gunzip = createGunzip();
    const source = Readable.from(rest(head, it, done));
    source.on('error', (e) => gunzip.destroy(e));
    const inner = source.pipe(gunzip);
    try {
      const opened = await openText(inner, file, true);
      return { ...opened, gzip: true };
    } catch (err) {
      if (err instanceof FileRejectedError) throw err;
      throw new FileRejectedError(file, `looks gzip-compressed but cannot be decompressed: ${(err as Error).message}`);
    }
  }
  if (head.length === 0) throw new FileRejectedError(file, 'the file is empty');
  const office = officeKind(head);
  // Until the pipeline routes .xlsx to xlsx-rows.ts (a table, not text), a workbook is refused here too.
  if (office) throw new FileRejectedError(file, officeRefusal(office) ?? '是 Excel 工作簿（.xlsx），此版本尚未接入读取：请导出为 CSV。 / is an Excel workbook (.xlsx), which this version does not read yet: export the sheet as CSV');
  for (const [sig, what] of SIGNATURES) {
    if (startsWith(head, sig)) throw new FileRejectedError(file, `is ${what}, not monitoring data (expected CSV, JSON, NDJSON or an HJ 212 log)`);
  }
  const enc = detectEncoding(head, done);
  if (enc.skip === 0 && head.subarray(0, Math.min(head.length, 8192)).includes(0)) {
    throw new FileRejectedError(file, 'is a binary file, not monitoring data (expected CSV, JSON, NDJSON or an HJ 212 log)');
  }
  const decoder = new TextDecoder(enc.label, { fatal: false });
  const headText = decoder.decode(head.subarray(enc.skip), { stream: true });
  async function* chunks(): AsyncGenerator<string> {
    if (headText) yield headText;
    if (!done) {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const s = decoder.decode(r.value, { stream: true });
        if (s) yield s;
      }
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  }
  return {
    encoding: enc.encoding, gzip: false, head: headText, chunks: chunks(),
    utf8Bytes: enc.label === 'utf-8' ? rest(head.subarray(enc.skip), it, done) : undefined,
  };
}

export const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Splits text chunks into lines (LF or CRLF), numbering from 1, a chunk's worth of lines at a time
 * (a batch per chunk keeps the per-line cost to a loop step, not a promise).
 */
export async function* lineBatches(chunks: AsyncIterable<string>): AsyncGenerator<[number, string][]> {
  let carry = '';
  let n = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const batch: [number, string][] = [];
    let start = 0;
    for (;;) {
      const i = text.indexOf('\n', start);
      if (i < 0) break;
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      batch.push([++n, text.slice(start, end)]);
      start = i + 1;
    }
    carry = text.slice(start);
    // A file with no line breaks must not grow memory without bound: hand over what we have.
    if (carry.length > MAX_LINE_CHARS) {
      batch.push([++n, carry]);
      carry = '';
    }
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0) yield [[++n, carry.endsWith('\r') ? carry.slice(0, -1) : carry]];
}

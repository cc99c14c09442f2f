/**
 * Bytes → text, without being told the encoding: gunzips gzip (within MAX_DECOMPRESSED_BYTES),
 * honours a BOM, and otherwise weighs the evidence — valid multi-byte UTF-8 sequences against
 * invalid ones — over a head of a fixed size, so the answer is the same however the bytes are
 * chunked. A head of (nearly) pure ASCII says nothing: the reader buffers on, within
 * MAX_ENCODING_SNIFF_BYTES, until non-ASCII text shows. A UTF-8 file with a stray byte stays UTF-8;
 * the byte becomes U+FFFD and its line is reported. Files that are plainly not text (PDF, images,
 * spreadsheets, archives) are refused by name.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ENCODING_HEAD_BYTES, MAX_DECOMPRESSED_BYTES, MAX_ENCODING_SNIFF_BYTES, MAX_ENCODING_WARNINGS } from '../limits.js';
import { officeKind, officeRefusal } from './office.js';
import { FileRejectedError } from './types.js';
import type { InvalidLine } from './utf8.js';
import { Utf8LineCheck, utf8Evidence } from './utf8.js';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface OpenedText {
  readonly encoding: TextEncodingName;
  readonly gzip: boolean;
  /** The decoded start of the file: its first ENCODING_HEAD_BYTES bytes, or all of it. */
  readonly head: string;
  /** All of the text, head included, in order (a BOM removed). */
  readonly chunks: AsyncIterable<string>;
  /**
   * Lines of a UTF-8 file that hold bytes invalid in UTF-8 (read as U+FFFD), and how many more
   * lines did beyond those; complete once the text has been read to the end.
   */
  readonly invalidLines: () => { readonly lines: readonly InvalidLine[]; readonly more: number };
}

export interface DecodeLimits {
  /** Bytes a compressed file may decompress to (MAX_DECOMPRESSED_BYTES unless a test says less). */
  readonly maxDecompressedBytes?: number;
  /** One line or record, in bytes (MAX_LINE_BYTES unless a test says less). */
  readonly maxLineBytes?: number;
}

/** Non-ASCII bytes that make enough evidence to decide on. */
const ENOUGH_NON_ASCII = 64;
/** UTF-8 wins while it has at least this many valid multi-byte sequences per invalid one (GBK text as UTF-8 has about one per three). */
const VALID_PER_INVALID = 4;

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

/** The start of a byte stream held back for a look, and the rest still to come. */
class Prefix {
  private parts: Buffer[] = [];
  size = 0;
  done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** Reads on until at least `n` bytes are held or the stream ends. */
  async fill(n: number): Promise<void> {
    while (this.size < n && !this.done) await this.more();
  }

  async more(): Promise<void> {
    const r = await this.it.next();
    if (r.done) { this.done = true; return; }
    const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.parts.push(b);
    this.size += b.length;
  }

  partCount(): number { return this.parts.length; }
  part(i: number): Buffer { return this.parts[i] as Buffer; }

  bytes(): Buffer {
    if (this.parts.length !== 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  /** Everything: the held bytes from `skip` on, then the rest of the stream. */
  async *all(skip: number): AsyncGenerator<Uint8Array> {
    const held = this.bytes().subarray(skip);
    this.parts = [];
    if (held.length > 0) yield held;
    if (this.done) return;
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

/**
 * How far the evidence for the encoding reaches, once enough is held: the head, or — when the head
 * has too few non-ASCII bytes — on to just past the ENOUGH_NON_ASCII-th one, or the sniff bound.
 * A function of the bytes alone, never of how they were chunked.
 */
async function evidenceWindow(prefix: Prefix): Promise<number> {
  await prefix.fill(ENCODING_HEAD_BYTES);
  let seen = 0;
  let offset = 0; // of the part being scanned
  for (let p = 0; ; p++) {
    while (p >= prefix.partCount() && !prefix.done && offset < MAX_ENCODING_SNIFF_BYTES) await prefix.more();
    if (p >= prefix.partCount() || offset >= MAX_ENCODING_SNIFF_BYTES) return Math.min(prefix.size, MAX_ENCODING_SNIFF_BYTES);
    const part = prefix.part(p);
    const stop = Math.min(part.length, MAX_ENCODING_SNIFF_BYTES - offset);
    for (let i = 0; i < stop; i++) {
      if ((part[i] as number) >= 0x80 && ++seen === ENOUGH_NON_ASCII) {
        // Past the sequence this byte belongs to, and never short of the head.
        const end = Math.max(ENCODING_HEAD_BYTES, offset + i + 4);
        await prefix.fill(end);
        return Math.min(end, prefix.size);
      }
    }
    offset += part.length;
  }
}

function decide(buf: Buffer, end: number, atEof: boolean): 'utf-8' | 'gb18030' {
  const { valid, invalid } = utf8Evidence(buf, end, atEof);
  return invalid === 0 || valid >= VALID_PER_INVALID * invalid ? 'utf-8' : 'gb18030';
}

/** Counts decompressed bytes and refuses the file past the bound (a gzip bomb is not monitoring data). */
async function* bounded(source: AsyncIterable<Uint8Array>, max: number, file: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > max) throw new FileRejectedError(file, `decompresses to more than ${max.toLocaleString('en')} bytes (the bound for one file); split it or send it uncompressed`, '解压后超过单个文件的大小上限，请拆分文件或不压缩上传');
    yield chunk;
  }
}

export async function openText(
  bytes: AsyncIterable<Uint8Array>, file: string, limits: DecodeLimits = {}, gunzipped = false,
): Promise<OpenedText> {
  const prefix = new Prefix(bytes[Symbol.asyncIterator]());
  await prefix.fill(ENCODING_HEAD_BYTES);
  let buf = prefix.bytes();
  if (!gunzipped && startsWith(buf, [0x1f, 0x8b])) {
    const gunzip = createGunzip();
    const source = Readable.from(prefix.all(0));
    source.on('error', (e) => gunzip.destroy(e));
    const inner = bounded(source.pipe(gunzip), limits.maxDecompressedBytes ?? MAX_DECOMPRESSED_BYTES, file);
    try {
      const opened = await openText(inner, file, limits, true);
      return { ...opened, gzip: true };
    } catch (err) {
      if (err instanceof FileRejectedError) throw err;
      throw new FileRejectedError(file, `looks gzip-compressed but cannot be decompressed: ${(err as Error).message}`, '文件像是 gzip 压缩包，但无法解压（可能已损坏或未完整上传）');
    }
  }
  if (buf.length === 0) throw new FileRejectedError(file, 'the file is empty', '文件为空');
  const office = officeKind(buf);
  if (office) {
    // An .xlsx is routed to its reader before decoding (read.ts); here only inside gzip, which it never needs.
    const refusal = officeRefusal(office) ?? {
      reason: 'is an Excel workbook (.xlsx) compressed with gzip: upload the .xlsx as it is (a workbook is compressed already)',
      reasonZh: '是经 gzip 压缩的 Excel 工作簿（.xlsx）：请直接上传 .xlsx 文件（工作簿本身已是压缩格式）',
    };
    throw new FileRejectedError(file, refusal.reason, refusal.reasonZh);
  }
  for (const [sig, what] of SIGNATURES) {
    if (startsWith(buf, sig)) throw new FileRejectedError(file, `is ${what}, not monitoring data (expected CSV, JSON, NDJSON, an HJ 212 log or an .xlsx workbook)`, '文件是文档、图片或压缩包等，不是监测数据（应为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿）');
  }
  let encoding: TextEncodingName;
  let skip = 0;
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) { encoding = 'utf-8-bom'; skip = 3; }
  else if (startsWith(buf, [0xff, 0xfe])) { encoding = 'utf-16le'; skip = 2; }
  else if (startsWith(buf, [0xfe, 0xff])) { encoding = 'utf-16be'; skip = 2; }
  else {
    if (buf.subarray(0, 8192).includes(0)) {
      throw new FileRejectedError(file, 'is a binary file, not monitoring data (expected CSV, JSON, NDJSON, an HJ 212 log or an .xlsx workbook)', '文件是二进制文件，不是监测数据（应为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿）');
    }
    const end = await evidenceWindow(prefix);
    buf = prefix.bytes();
    encoding = decide(buf, end, prefix.done && end >= prefix.size);
  }
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const head = new TextDecoder(label).decode(buf.subarray(skip, ENCODING_HEAD_BYTES), { stream: true });
  const check = label === 'utf-8' ? new Utf8LineCheck(MAX_ENCODING_WARNINGS) : undefined;

  async function* checked(): AsyncGenerator<Uint8Array> {
    for await (const b of prefix.all(skip)) {
      check?.feed(b);
      yield b;
    }
    check?.end();
  }
  async function* chunks(): AsyncGenerator<string> {
    const decoder = new TextDecoder(label);
    for await (const b of checked()) {
      const s = decoder.decode(b, { stream: true });
      if (s) yield s;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  }
  return {
    encoding, gzip: false, head, chunks: chunks(),
    invalidLines: () => ({ lines: check?.lines ?? [], more: check?.more ?? 0 }),
  };
}

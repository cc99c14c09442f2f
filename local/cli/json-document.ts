/**
 * Writes, byte for byte, the document `JSON.stringify(doc, null, 2)` would print, without holding
 * its big arrays in memory.
 *
 * Why spool: a document such as `evaluate --json`'s puts a small summary first (`files`, whose
 * counts are known only at the end) and the big arrays (`samples`, `rejected`) after it. Streaming
 * elements straight to stdout cannot put the summary first; reading the inputs twice (count, then
 * print) doubles the slow part — parsing — and cannot read a pipe or a file that changes between
 * the passes. So each array element is serialised as it comes, already indented for its place in
 * the document, and appended to a temporary file of its own; at the end the head is written, then
 * each spool is copied out in order. Memory holds one write buffer per array; the disk holds the
 * document once more while it is written (removed afterwards, and unlinked at once where the
 * system allows, so a killed process leaves nothing behind).
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INDENT = '  ';
/** Characters buffered per array before they are written to its spool. */
const DEFAULT_FLUSH_CHARS = 1 << 20;
/** Bytes read back per chunk when a spool is copied out. */
const COPY_CHUNK_BYTES = 1 << 20;

export type WriteChunk = (chunk: string | Uint8Array) => Promise<void>;

/** `value` as it appears at nesting `depth` of `JSON.stringify(doc, null, 2)` (strings hold no raw newline). */
export function indentedJson(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return depth === 0 ? text : text.replaceAll('\n', `\n${INDENT.repeat(depth)}`);
}

/** One top-level array of the document, element by element, on disk. */
export class SpooledArray {
  private parts: string[] = [];
  private pendingChars = 0;
  private written = 0;
  count = 0;

  constructor(private readonly file: FileHandle, private readonly flushChars: number) {}

  /** Appends an element; returns a promise only when its buffer went to disk (await it). */
  push(value: unknown): Promise<void> | undefined {
    const text = `${this.count === 0 ? '' : ',\n'}${INDENT.repeat(2)}${indentedJson(value, 2)}`;
    this.count++;
    this.parts.push(text);
    this.pendingChars += text.length;
    return this.pendingChars >= this.flushChars ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pendingChars = 0;
    await this.file.write(chunk, 0, chunk.length, this.written);
    this.written += chunk.length;
  }

  /** The array as it stands at depth 1: `[]`, or `[` … `]` over several lines. */
  async copyTo(write: WriteChunk): Promise<void> {
    if (this.count === 0) {
      await write('[]');
      return;
    }
    await this.flush();
    await write('[\n');
    for (let at = 0; at < this.written;) {
      const buf = Buffer.allocUnsafe(Math.min(COPY_CHUNK_BYTES, this.written - at));
      const { bytesRead } = await this.file.read(buf, 0, buf.length, at);
      if (bytesRead === 0) throw new Error('a spool file ended early');
      await write(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      at += bytesRead;
    }
    await write(`\n${INDENT}]`);
  }
}

export class SpooledJsonDocument<K extends string> {
  private constructor(private readonly dir: string, private readonly arrays: ReadonlyMap<K, SpooledArray>, private readonly files: FileHandle[]) {}

  /** Temporary spools for the arrays `keys`, which follow the head in this order. */
  static async open<K extends string>(keys: readonly K[], options: { flushChars?: number; dir?: string } = {}): Promise<SpooledJsonDocument<K>> {
    const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'bishui-json-'));
    const arrays = new Map<K, SpooledArray>();
    const files: FileHandle[] = [];
    try {
      for (const [i, key] of keys.entries()) {
        const path = join(dir, `${i}.json`);
        const file = await open(path, 'w+');
        files.push(file);
        await rm(path).catch(() => {}); // the handle keeps it; where the system refuses, dispose() removes it
        arrays.set(key, new SpooledArray(file, options.flushChars ?? DEFAULT_FLUSH_CHARS));
      }
    } catch (err) {
      await Promise.all(files.map((f) => f.close()));
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return new SpooledJsonDocument(dir, arrays, files);
  }

  array(key: K): SpooledArray {
    return this.arrays.get(key) as SpooledArray;
  }

  /** The whole document: the `head` fields in their order, then the spooled arrays; no final newline. */
  async writeTo(write: WriteChunk, head: Readonly<Record<string, unknown>>): Promise<void> {
    const fields: [string, unknown][] = Object.entries(head).filter(([, v]) => v !== undefined);
    const all = [...fields.map(([k]) => k), ...this.arrays.keys()];
    if (all.length === 0) {
      await write('{}');
      return;
    }
    await write('{\n');
    let i = 0;
    const sep = () => (++i < all.length ? ',\n' : '\n');
    for (const [key, value] of fields) await write(`${INDENT}${JSON.stringify(key)}: ${indentedJson(value, 1)}${sep()}`);
    for (const [key, spool] of this.arrays) {
      await write(`${INDENT}${JSON.stringify(key)}: `);
      await spool.copyTo(write);
      await write(sep());
    }
    await write('}');
  }

  async dispose(): Promise<void> {
    await Promise.all(this.files.map((f) => f.close().catch(() => {})));
    await rm(this.dir, { recursive: true, force: true });
  }
}

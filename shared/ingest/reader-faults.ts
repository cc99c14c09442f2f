/**
 * Whose fault a failed read is. Reading a file can fail three ways: the file is not monitoring data
 * (FileRejectedError, or a gzip stream that is not one), the S3 body stopped (a passing fault: the
 * message is retried), or the reader itself threw on this input (a stack overflow on deep nesting,
 * an allocation failure on a monstrous line). The last is the file's doing too — running it again
 * fails the same way, once per visibility timeout, until the dead-letter queue — so it is
 * quarantined at once with the error as its reason (and logged as an error: a reader should reject,
 * not throw). Storage errors never pass through here: only the reader's own calls are wrapped.
 */
import { FileRejectedError } from '../parsers/types.js';

/** The S3 body failed while being read. */
export class SourceReadError extends Error {
  constructor(cause: unknown) {
    super(`reading the object failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'SourceReadError';
  }
}

/** The reader could not go on with this file's content: a gzip stream that is not one, or the reader threw. */
export class ReaderFault extends Error {
  constructor(readonly reason: string, readonly reasonZh: string, cause: unknown, readonly unexpected: boolean) {
    super(reason, { cause });
    this.name = 'ReaderFault';
  }
}

/** The object's body, with a flag that says whether the body itself (not its reader) failed. */
export function watchedSource(body: AsyncIterable<Uint8Array>): { readonly body: AsyncIterable<Uint8Array>; failed(): boolean } {
  let failed = false;
  async function* watched(): AsyncGenerator<Uint8Array> {
    const it = body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await it.next();
        } catch (err) {
          failed = true;
          throw new SourceReadError(err);
        }
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { body: watched(), failed: () => failed };
}

/** zlib's "this is not gzip after all" errors are the file's fault, not a passing fault. */
function isCorruptData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_INVALID_ARG_VALUE';
}

/** Runs one call into the reader; what it throws that is not already classified becomes a ReaderFault. */
export async function fromReader<T>(source: { failed(): boolean }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (source.failed() || err instanceof SourceReadError || err instanceof FileRejectedError) throw err;
    const e = err as Error | undefined;
    if (isCorruptData(err)) throw new ReaderFault(`cannot be decompressed: ${e?.message}`, '文件无法解压（可能已损坏或未完整上传）', err, false);
    throw new ReaderFault(`the reader failed on this file (${e?.name ?? 'Error'}: ${e?.message ?? String(err)}); it is kept for inspection`, '读取该文件时出错，已隔离待查', err, true);
  }
}

/** Why the file is to be quarantined (in English and, where known, Chinese), or undefined when the error is not the file's doing. */
export function fileProblemOf(err: unknown): { readonly reason: string; readonly reasonZh?: string | undefined } | undefined {
  if (err instanceof FileRejectedError) return { reason: err.reason, reasonZh: err.reasonZh };
  if (err instanceof ReaderFault) return { reason: err.reason, reasonZh: err.reasonZh };
  return undefined;
}

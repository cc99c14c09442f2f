/**
 * Stores a file's samples a chunk at a time, each chunk's write running while the next chunk is
 * parsed. Chunks are written in order, so of two rows with the same key the later one wins, as in
 * the file; after each chunk is stored, the listener judges it. `beforeWrite` runs right before each
 * write (a version checks it is still the newest of its key) and may stop the run by throwing.
 * A chunk is exactly WRITE_CHUNK samples (the last one of a file fewer), whatever the batches the
 * parser yields: the alert rules see the same chunks however a file is read — in one invocation
 * or over several, which hand over only between chunks.
 */
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { IngestListener, SampleStore, StoredSample } from '../ports/index.js';

export const WRITE_CHUNK = 500;

export class SampleWriter {
  private chunk: StoredSample[] = [];
  private evaluated: EvaluatedSample[] = [];
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<SampleStore, 'putSamples'>, private readonly listener: Pick<IngestListener, 'stored'> | undefined,
    private readonly beforeWrite: () => Promise<void> = async () => {},
  ) {}

  add(stored: StoredSample, evaluated: EvaluatedSample): void {
    this.chunk.push(stored);
    if (this.listener) this.evaluated.push(evaluated);
  }

  /** The chunk is full: `flush` it before adding more. */
  get full(): boolean {
    return this.chunk.length >= WRITE_CHUNK;
  }

  /** Nothing added is waiting for a chunk (a write may still be running: `drain`). */
  get empty(): boolean {
    return this.chunk.length === 0;
  }

  /** Everything added so far is stored and judged. */
  async drain(): Promise<void> {
    await this.flush();
    await this.pending;
  }

  /** Starts writing the chunk (after the previous write has finished). */
  async flush(): Promise<void> {
    const toWrite = this.chunk;
    const toJudge = this.evaluated;
    this.chunk = [];
    this.evaluated = [];
    await this.pending;
    if (toWrite.length === 0) return;
    this.pending = (async () => {
      await this.beforeWrite();
      await this.store.putSamples(toWrite);
      if (this.listener) await this.listener.stored(toJudge);
    })();
    // Awaited at the next flush; until then a failure must not count as unhandled.
    this.pending.catch(() => undefined);
  }
}

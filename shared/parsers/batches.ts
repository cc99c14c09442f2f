/**
 * Reads an object-mode stream a buffer-full at a time. `for await (const x of stream)` pays a
 * promise per record; a million-row file pays it a million times.
 */
import type { Readable } from 'node:stream';

export async function* batches<T>(stream: Readable): AsyncGenerator<T[]> {
  let error: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => { const w = wake; wake = undefined; w?.(); };
  stream.on('readable', signal);
  stream.on('end', () => { ended = true; signal(); });
  stream.on('error', (e: Error) => { error = e; signal(); });
  try {
    for (;;) {
      const batch: T[] = [];
      let item: T | null;
      while ((item = stream.read() as T | null) !== null) batch.push(item);
      if (batch.length > 0) yield batch;
      else if (error) throw error;
      else if (ended) return;
      else await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    stream.off('readable', signal);
    if (!ended) stream.destroy();
  }
}

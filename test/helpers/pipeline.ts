/** Starts the local pipeline on in-memory emulators for a test file, and closes it afterwards. */
import { afterAll, beforeAll } from 'vitest';
import { LocalPipeline, type LocalPipelineOptions } from '../../local/runtime/pipeline.js';
import { tempDir } from './tmp.js';

export function usePipeline(options: Omit<LocalPipelineOptions, 'outboxPath'> = {}): { get: () => LocalPipeline } {
  let pipeline: LocalPipeline | undefined;
  const tmp = tempDir('bishui-pipe-');
  beforeAll(async () => {
    pipeline = await LocalPipeline.start({ outboxPath: `${tmp.dir}/outbox.jsonl`, ...options });
  });
  afterAll(async () => {
    await pipeline?.close();
  });
  return { get: () => pipeline as LocalPipeline };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The local queue's shutdown: closing waits for the batch in hand, and nothing is delivered after. */
import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../../local/runtime/queue.js';

describe('InProcessQueue.stop', () => {
  it('resolves only after the batch being handled has finished, and delivers nothing more', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    let started: () => void = () => {};
    const handling = new Promise<void>((r) => { started = r; });
    const queue = new InProcessQueue(async (event) => {
      seen.push(...event.Records.map((r) => r.body));
      started();
      await new Promise<void>((r) => { release = r; });
    }, { batchSize: 1 });
    queue.send('first');
    queue.send('second');
    await handling;
    let stopped = false;
    const stopping = queue.stop().then(() => { stopped = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false); // still waiting for 'first'
    release();
    await stopping;
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['first']);
    queue.send('third');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['first']);
  });

  it('resolves at once when nothing is being handled', async () => {
    const queue = new InProcessQueue(async () => {});
    await expect(queue.stop()).resolves.toBeUndefined();
  });
});

/**
 * A file whose message reaches the dead-letter queue is announced on operations with its key and
 * last error, and its ledger entry ends failed; the local runtime does it through the dead-letter
 * function's own handler. And a file the reader cannot get through is quarantined at once instead of
 * being retried into the dead-letter queue.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { fileIdOf } from '../../shared/layout.js';
import type { SampleStore } from '../../shared/ports/index.js';
import { usePipeline } from '../helpers/pipeline.js';

const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';

interface OutboxLine { TopicArn: string; Subject: string; Message: string; MessageAttributes: Record<string, { StringValue: string }> }
const outbox = (path: string): OutboxLine[] => {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as OutboxLine);
  } catch {
    return [];
  }
};
const deadLetterNotices = (path: string) => outbox(path).filter((n) => n.MessageAttributes.problem?.StringValue === 'dead-letter');

describe('a file that fails every delivery', () => {
  let down = true;
  const p = usePipeline({
    leaseMs: 5_000, visibilityTimeoutMs: 100, maxReceiveCount: 3,
    wrapDeps: (deps) => {
      const samples: SampleStore = Object.create(deps.samples);
      samples.putSamples = async (batch) => {
        if (down) throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
        return deps.samples.putSamples(batch);
      };
      return { ...deps, samples };
    },
  });

  it('ends failed in the ledger with its last error, and operations hears of it once', async () => {
    const pipe = p.get();
    const key = 'incoming/赵牛河 08-20.csv';
    await pipe.upload(key, [HEADER, '赵牛河,2023-08-20 08:00,20,0.5'].join('\n'));
    await pipe.idle();
    expect(pipe.handled.filter((h) => h.ref.key === key).map((h) => h.error)).toEqual(Array(3).fill(expect.stringMatching(/capacity/)));
    expect(pipe.queue.deadLetters).toHaveLength(1);
    const entry = await pipe.ledger.get(fileIdOf({ bucket: LOCAL_BUCKET, key }));
    expect(entry).toMatchObject({
      status: 'failed', attempts: 3, deadLetteredAt: expect.any(String),
      error: 'ProvisionedThroughputExceededException: Throughput exceeds the current capacity of your table',
    });
    expect(entry!.leaseUntil).toBeUndefined();
    const notices = deadLetterNotices(pipe.outboxPath);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.TopicArn).toMatch(/operations$/);
    const message = JSON.parse(notices[0]!.Message) as { default: string; email: string };
    expect(message.default).toContain(`s3://${LOCAL_BUCKET}/${key}`);
    expect(message.email).toContain('Throughput exceeds the current capacity');
  });

  it('a redrive from the dead-letter queue, once the fault is gone, runs the file again', async () => {
    const pipe = p.get();
    down = false;
    const [dead] = pipe.queue.deadLetters;
    pipe.queue.send(dead!.body);
    await pipe.idle();
    const entry = await pipe.ledger.get(fileIdOf({ bucket: LOCAL_BUCKET, key: 'incoming/赵牛河 08-20.csv' }));
    expect(entry).toMatchObject({ status: 'done', accepted: 1 });
    expect(entry!.deadLetteredAt).toBeUndefined();
    expect(deadLetterNotices(pipe.outboxPath)).toHaveLength(1);
  });

  it('a message that is not an S3 event is announced too', async () => {
    const pipe = p.get();
    pipe.queue.send('{"hello":"not an event"}');
    await pipe.idle();
    const notices = deadLetterNotices(pipe.outboxPath);
    expect(notices).toHaveLength(2);
    expect(JSON.parse(notices[1]!.Message).email).toMatch(/not an S3 event notification[\s\S]*hello/);
  });
});

describe('a file the reader throws on', () => {
  // A reader should reject, not throw; when it does throw on a file's content (a stack overflow, an
  // allocation failure), running it again fails the same way: the file is quarantined at once.
  const THROWS_ON = '炸站';
  const p = usePipeline({
    visibilityTimeoutMs: 1_000, maxReceiveCount: 3,
    wrapDeps: (deps) => ({
      ...deps,
      registry: Object.assign(Object.create(deps.registry) as typeof deps.registry, {
        resolve: (name: string) => {
          if (name === THROWS_ON) throw new RangeError('Maximum call stack size exceeded');
          return deps.registry.resolve(name);
        },
      }),
    }),
  });

  it('is quarantined on its first delivery, not retried into the dead-letter queue', async () => {
    const pipe = p.get();
    const key = 'incoming/throws.csv';
    await pipe.upload(key, `site,time,COD\n${THROWS_ON},2023-07-01 08:00,20\n`);
    await pipe.idle();
    expect(pipe.handled.filter((h) => h.ref.key === key).map((h) => h.outcome?.status)).toEqual(['failed']);
    const entry = await pipe.ledger.get(fileIdOf({ bucket: LOCAL_BUCKET, key }));
    expect(entry).toMatchObject({ status: 'failed', quarantineKey: `quarantine/${key}`, error: expect.stringMatching(/reader failed on this file \(RangeError/) });
    expect(pipe.queue.deadLetters).toEqual([]);
  });

  it('JSON nested 100,000 deep is one rejected element on the first delivery: no stack overflow, no retry', async () => {
    const pipe = p.get();
    const key = 'incoming/deep.json';
    const depth = 100_000;
    const deep = `[{"site":"sixinhe","time":"2023-07-01 08:00","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]`;
    await pipe.upload(key, deep);
    await pipe.idle();
    expect(pipe.handled.filter((h) => h.ref.key === key).map((h) => h.outcome?.status)).toEqual(['done']);
    const entry = await pipe.ledger.get(fileIdOf({ bucket: LOCAL_BUCKET, key }));
    expect(entry).toMatchObject({ status: 'done', accepted: 0, rejected: 1 });
    expect(entry!.rejectedRows![0]!.reason).toMatch(/nest/i);
    expect(pipe.queue.deadLetters).toEqual([]);
  });
});

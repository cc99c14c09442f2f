/**
 * What S3, Lambda and DynamoDB do to a pipeline: UnprocessedItems and throttling (injected at the SDK
 * boundary — dynalite never returns them), a crash in the middle of a file, two workers at once.
 */
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { ingestObject } from '../../shared/ingest/ingest-object.js';
import type { SampleStore } from '../../shared/ports/index.js';
import { formatInstant } from '../../shared/domain/time.js';
import { shanghai } from '../helpers/parse.js';
import { collect, usePipeline } from '../helpers/pipeline.js';

/** `n` readings a minute apart from `day` 00:00 (local): enough rows for several write chunks. */
const readings = (site: string, day: string, n: number) => [
  '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)',
  ...Array.from({ length: n }, (_, i) => `${site},${formatInstant(shanghai(`${day} 00:00`) + i * 60_000)},${20 + (i % 7)},${(0.3 + (i % 5) / 10).toFixed(1)}`),
].join('\n');

/**
 * SDK middleware on the real client: every other BatchWriteItem sends only half its items and
 * returns the rest as UnprocessedItems; every third throws ProvisionedThroughputExceededException.
 * No request meets more than three faults in a row: the call counter is shared by parallel writers,
 * and in an unlucky interleaving one request could otherwise land on every third call until the
 * writer's attempts run out — a harder throttle than the test means to make.
 */
function injectDynamoFaults(client: DynamoDBClient): { unprocessed: number; throttled: number } {
  const counts = { unprocessed: 0, throttled: 0 };
  let calls = 0;
  const faultsInARow = new Map<string, number>();
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName !== BatchWriteItemCommand.name) return next(args);
    const input = (args as { input: unknown }).input as { RequestItems: Record<string, unknown[]> };
    calls++;
    const [table, requests] = Object.entries(input.RequestItems)[0] as [string, unknown[]];
    const request = JSON.stringify(requests[0]);
    const faults = faultsInARow.get(request) ?? 0;
    const throttle = calls % 3 === 0;
    const halve = calls % 2 === 0 && requests.length > 1;
    if (faults >= 3 || (!throttle && !halve)) {
      faultsInARow.delete(request);
      return next(args);
    }
    faultsInARow.set(request, faults + 1);
    if (throttle) {
      counts.throttled++;
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 },
      });
    }
    const half = Math.ceil(requests.length / 2); // halve: the rest comes back as UnprocessedItems
    const kept = requests.slice(0, half);
    const left = requests.slice(half);
    counts.unprocessed += left.length;
    const res = await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } } as typeof args);
    (res.output as BatchWriteItemCommandOutput).UnprocessedItems = { [table]: left as never };
    return res;
  }, { step: 'initialize', name: 'injectDynamoFaults' });
  return counts;
}

describe('DynamoDB throttling and UnprocessedItems', () => {
  let counts: { unprocessed: number; throttled: number } | undefined;
  const p = usePipeline({
    dynamoMaxAttempts: 1, // the SDK's own retries off: our backoff must cope
    wrapDeps: (deps, { dynamo }) => { counts = injectDynamoFaults(dynamo); return deps; },
  });

  it('everything is written in the end, once', async () => {
    const pipe = p.get();
    const key = 'incoming/big-sixinhe.csv';
    await pipe.upload(key, readings('四新河', '2023-08-01', 600));
    await pipe.idle();
    expect(counts!.unprocessed).toBeGreaterThan(0);
    expect(counts!.throttled).toBeGreaterThan(0);
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'done', accepted: 600 });
    const stored = await collect(pipe.store.fileSamples(`${LOCAL_BUCKET}/${key}`));
    expect(stored).toHaveLength(600);
    expect(new Set(stored.map((s) => s.sample.time)).size).toBe(600);
    expect(pipe.queue.deadLetters).toEqual([]);
  });
});

describe('a crash in the middle of a file', () => {
  let crashes = 0;
  const p = usePipeline({
    leaseMs: 300, visibilityTimeoutMs: 400, maxReceiveCount: 5,
    wrapDeps: (deps) => {
      let writes = 0;
      const samples: SampleStore = Object.create(deps.samples);
      samples.putSamples = async (batch) => {
        writes++;
        if (writes === 2 && crashes === 0) {
          crashes++;
          throw new Error('Task timed out after 900.00 seconds'); // the worker dies mid-file
        }
        return deps.samples.putSamples(batch);
      };
      return { ...deps, samples };
    },
  });

  it('the message is retried and the end state is complete and not doubled', async () => {
    const pipe = p.get();
    const key = 'incoming/zhaoniuhe-crash.csv';
    await pipe.upload(key, readings('赵牛河', '2023-08-02', 1500));
    await pipe.idle();
    expect(crashes).toBe(1);
    const outcomes = pipe.handled.filter((h) => h.ref.key === key);
    expect(outcomes[0]!.error).toMatch(/timed out/);
    expect(outcomes.at(-1)!.outcome?.status).toBe('done');
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'done', accepted: 1500 });
    expect(entry!.attempts).toBeGreaterThanOrEqual(2);
    const stored = await collect(pipe.store.fileSamples(`${LOCAL_BUCKET}/${key}`));
    expect(stored).toHaveLength(1500);
    const all = await collect(pipe.store.querySite('zhaoniuhe'));
    expect(all.filter((s) => s.fileId.endsWith(key))).toHaveLength(1500);
    const daily = await pipe.store.dailyMeans('zhaoniuhe', '2023-08-02', '2023-08-03');
    expect(daily.reduce((n, d) => n + d.samples, 0)).toBe(1500);
  });
});

describe('two workers at once', () => {
  const p = usePipeline({ leaseMs: 60_000 });

  it('only one processes the file; the other is told it is busy', async () => {
    const pipe = p.get();
    const key = 'outside/two-workers.csv'; // not under incoming/: no event, we drive the workers
    const ref = await pipe.upload(key, readings('小湄河', '2023-08-03', 200));
    const { ledger, store } = pipe;
    const deps = {
      objects: new (await import('../../shared/adapters/s3-object-store.js')).S3ObjectStore(pipe.s3),
      samples: store, ledger, registry: pipe.registry,
      publisher: { publish: async () => {} }, log: { info() {}, warn() {}, error() {} }, now: Date.now, leaseMs: 60_000,
    };
    const results = await Promise.allSettled([ingestObject(ref, deps), ingestObject(ref, deps)]);
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).name));
    expect(statuses.sort()).toEqual(['FileBusyError', 'done']);
    expect(await collect(store.fileSamples(`${LOCAL_BUCKET}/${key}`))).toHaveLength(200);
    const again = await ingestObject(ref, deps);
    expect(again.status).toBe('duplicate');
  });
});

describe('two alert engines at once on DynamoDB', () => {
  const p = usePipeline({ alerts: false });

  it('announce an exceedance once: the version-checked write lets one through', async () => {
    const pipe = p.get();
    const { AlertEngine } = await import('../../shared/alerts/engine.js');
    const { Notifier } = await import('../../shared/alerts/notifier.js');
    const { DynamoAlertStateStore } = await import('../../shared/adapters/dynamo/alert-state-store.js');
    const { DynamoOutboxStore } = await import('../../shared/adapters/dynamo/outbox-store.js');
    const { evaluateSample } = await import('../../shared/domain/evaluate.js');
    const sent: string[] = [];
    const publisher = { publish: async (n: { attributes: Readonly<Record<string, string | readonly string[]>> }) => { sent.push(n.attributes.kind as string); } };
    const engine = () => new AlertEngine({
      states: new DynamoAlertStateStore(pipe.doc, 'bishui'), registry: pipe.registry, samples: pipe.store,
      notifier: new Notifier({ outbox: new DynamoOutboxStore(pipe.doc, 'bishui'), publisher, log: { info() {}, warn() {}, error() {} } }),
    });
    const batch = [0, 1, 2, 3, 4, 5].map((h) => {
      const sample = { site: 'sixinhe', registered: true, time: shanghai('2023-09-01 00:00') + h * 3_600_000, values: { COD: h === 1 ? 35 : 20 }, flags: {}, source: { file: 'x.csv', line: h + 2 } };
      return { sample, evaluation: evaluateSample(sample, pipe.registry.resolve('sixinhe')) };
    });
    await Promise.all([engine().onStored(batch), engine().onStored(batch), engine().onStored(batch)]);
    expect(sent).toEqual(['exceedance', 'recovery']);
  });
});

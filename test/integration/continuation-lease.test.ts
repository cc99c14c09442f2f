/**
 * One worker at a time on a file read over several invocations. The ledger's lease passes from one
 * invocation to the next with a handoff token, which works once; while the lease is held or
 * reserved, every other message for the file — a duplicate S3 event, the same continuation
 * delivered twice — is told it is busy (and put back by the handler), so no two workers ever
 * interleave their writes, and a checkpoint or failure from a worker that no longer holds the
 * lease is not recorded.
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import type { LocalPipeline } from '../../local/runtime/pipeline.js';
import { parseContinuation } from '../../shared/ingest/continuation-message.js';
import { FileBusyError, type IngestDeps, type IngestOutcome, ingestObject } from '../../shared/ingest/ingest-object.js';
import type { EvaluatedSample } from '../../shared/domain/evaluate.js';
import type { IngestCheckpoint, ObjectRef } from '../../shared/ports/index.js';
import { expectSameOutcome, fileOutcome } from '../helpers/file-outcome.js';
import { type LongFile, longFiles } from '../helpers/long-file.js';
import { usePipeline } from '../helpers/pipeline.js';

const tally = {
  accepted: 10, rejected: 1, skipped: 0, warned: 0, missing: 2, warningCount: 0,
  rejectedRows: [{ line: 3, reason: "time '昨天' is not a date and time" }], warnings: [], sites: ['sixinhe'], moreSites: false, nearMisses: [],
};
const checkpoint = (events: number): IngestCheckpoint => ({ events, continuations: 1, startedAt: 1_700_000_000_000, segment: 2, partsCleared: true, tally });

describe('the ledger: leases named by their holder, handed on with a token that works once', () => {
  const p = usePipeline({ alerts: false });
  const ref = (key: string): ObjectRef => ({ bucket: LOCAL_BUCKET, key, etag: 'e1' });

  it('a reserved lease: only the token takes it, once, without counting an attempt; others are told the file is being continued', async () => {
    const { ledger } = p.get();
    const r = ref('outside/lease-a.csv');
    const now = Date.now();
    const first = await ledger.acquire(r, 'e1', now, 60_000);
    if (first.outcome !== 'acquired') throw new Error(first.outcome);
    expect(first.checkpoint).toBeUndefined();
    const token = await ledger.checkpoint(r, 'e1', first.holder, checkpoint(500), now + 60_000);
    expect(token).toEqual(expect.any(String));

    expect(await ledger.acquire(r, 'e1', now + 1, 60_000)).toMatchObject({ outcome: 'busy', continuing: true });
    expect(await ledger.acquire(r, 'e1', now + 1, 60_000, 'not-the-token')).toMatchObject({ outcome: 'busy', continuing: true });
    const next = await ledger.acquire(r, 'e1', now + 2, 60_000, token);
    expect(next).toMatchObject({ outcome: 'acquired', attempts: 1, checkpoint: checkpoint(500) });
    if (next.outcome !== 'acquired') throw new Error(next.outcome);
    expect(next.holder).not.toBe(first.holder);
    expect(await ledger.acquire(r, 'e1', now + 3, 60_000, token)).toMatchObject({ outcome: 'busy', continuing: true }); // used

    // The first holder is out: neither its checkpoint nor its failure is recorded.
    expect(await ledger.checkpoint(r, 'e1', first.holder, checkpoint(999), now + 60_000)).toBeUndefined();
    await ledger.recordFailure(r, 'e1', first.holder, 'late error from a worker that lost the lease', now + 4);
    const entry = await ledger.get(`${LOCAL_BUCKET}/${r.key}`, 'e1');
    expect(entry).toMatchObject({ status: 'processing', checkpoint: checkpoint(500) });
    expect(entry?.lastError).toBeUndefined();
  });

  it('a reservation that ran out: any message takes the file (a new attempt, from the checkpoint), and the old token no longer works', async () => {
    const { ledger } = p.get();
    const r = ref('outside/lease-b.csv');
    const now = Date.now();
    const first = await ledger.acquire(r, 'e1', now, 60_000);
    if (first.outcome !== 'acquired') throw new Error(first.outcome);
    const token = await ledger.checkpoint(r, 'e1', first.holder, checkpoint(700), now - 1);
    const taken = await ledger.acquire(r, 'e1', now, 60_000);
    expect(taken).toMatchObject({ outcome: 'acquired', attempts: 2, checkpoint: checkpoint(700) });
    expect(await ledger.acquire(r, 'e1', now + 1, 60_000, token)).toMatchObject({ outcome: 'busy', continuing: true });
  });

  it('a dead letter ends the checkpoint: a redrive reads the file from its start; a finished entry holds none', async () => {
    const { ledger } = p.get();
    const r = ref('outside/lease-c.csv');
    const now = Date.now();
    const first = await ledger.acquire(r, 'e1', now, 60_000);
    if (first.outcome !== 'acquired') throw new Error(first.outcome);
    await ledger.checkpoint(r, 'e1', first.holder, checkpoint(800), now + 60_000);
    expect(await ledger.deadLetter(r, 'e1', 'gave up', now + 1)).toMatchObject({ outcome: 'failed' });
    expect((await ledger.get(`${LOCAL_BUCKET}/${r.key}`, 'e1'))?.checkpoint).toBeUndefined();
    const redrive = await ledger.acquire(r, 'e1', now + 2, 60_000);
    expect(redrive).toMatchObject({ outcome: 'acquired' });
    expect(redrive.outcome === 'acquired' && redrive.checkpoint).toBe(undefined);
  });
});

describe('two workers on one file read over several invocations', () => {
  const FILE = longFiles(6)[0] as LongFile;
  const key = 'outside/两个工作者.csv'; // not under incoming/: no event, the test delivers every message itself
  const MONTHS = ['2023-07'];
  const alone = usePipeline();
  const busy = usePipeline();

  it('never interleave: each message that finds the file held is told so, each write chunk is judged once, in order, and the file comes out as in one pass', async () => {
    // One pass, for comparison.
    const onePipe = alone.get();
    const oneRef = await onePipe.upload(key, await FILE.body());
    expect((await ingestObject(oneRef, onePipe.services.ingest)).status).toBe('done');
    const onePass = await fileOutcome(onePipe, key, MONTHS);

    const pipe: LocalPipeline = busy.get();
    const ref = await pipe.upload(key, await FILE.body());
    const sent: string[] = [];
    const judged: number[] = [];
    let holders = 0;
    let mostHolders = 0;
    const base = pipe.services.ingest;
    const listener = base.listener!;
    const deps: IngestDeps = {
      ...base,
      queue: { send: async (body) => { sent.push(body); } },
      listener: { ...listener, stored: async (batch: readonly EvaluatedSample[]) => { judged.push(batch[0]!.sample.source.line); await listener.stored(batch); } },
      ledger: Object.assign(Object.create(base.ledger), {
        acquire: async (...args: Parameters<typeof base.ledger.acquire>) => {
          const lease = await base.ledger.acquire(...args);
          if (lease.outcome === 'acquired') mostHolders = Math.max(mostHolders, ++holders);
          return lease;
        },
      }),
    };
    /** A worker: one message, in an invocation that hands on as early as it may. */
    const worker = async (handoff?: string): Promise<string> => {
      let outcome: IngestOutcome;
      try {
        outcome = await ingestObject(ref, deps, { remainingMs: () => 0, ...(handoff ? { handoff } : {}) });
      } catch (err) {
        if (err instanceof FileBusyError) return 'busy';
        throw err;
      }
      if (outcome.status === 'continued' || outcome.status === 'done') holders--;
      return outcome.status;
    };

    // The S3 event delivered twice at once: one worker takes the file.
    const start = await Promise.all([worker(), worker()]);
    expect(start.sort()).toEqual(['busy', 'continued']);
    let rounds = 0;
    for (;;) {
      const { handoff } = parseContinuation(JSON.parse(sent.at(-1) as string));
      // The continuation delivered twice, and the S3 event again, all at once.
      const round = await Promise.all([worker(handoff), worker(handoff), worker()]);
      rounds++;
      expect(round.filter((s) => s === 'busy')).toHaveLength(2);
      if (round.includes('done')) break;
      expect(round).toContain('continued');
    }
    expect(rounds).toBeGreaterThanOrEqual(4);
    expect(mostHolders).toBe(1);
    expect(judged).toEqual([...judged].sort((a, b) => a - b)); // each chunk once, in file order
    expect(new Set(judged).size).toBe(judged.length);
    expectSameOutcome(await fileOutcome(pipe, key, MONTHS), onePass);
  });
});

describe('a key written again between two invocations of a file (an unversioned bucket)', () => {
  const p = usePipeline();

  it('the next invocation does not read the new content as the rest of the old: the old version ends superseded', async () => {
    const pipe = p.get();
    const key = 'outside/重写.csv';
    const file = await (longFiles(6)[0] as LongFile).body() as string;
    const ref = await pipe.upload(key, file);
    const sent: string[] = [];
    const deps: IngestDeps = { ...pipe.services.ingest, queue: { send: async (body) => { sent.push(body); } } };
    expect((await ingestObject(ref, deps, { remainingMs: () => 0 })).status).toBe('continued');
    const newer = await pipe.upload(key, file.replace(/,2023-07-2/g, ',2023-06-2')); // other content under the same key
    expect(newer.etag).not.toBe(ref.etag);
    const { ref: next, handoff } = parseContinuation(JSON.parse(sent[0] as string));
    const outcome = await ingestObject(next, deps, { remainingMs: () => 0, handoff });
    expect(outcome).toMatchObject({ status: 'superseded', entry: { supersededBy: newer.etag, accepted: expect.any(Number) } });
    expect(sent).toHaveLength(1);
  });
});

describe('a checkpoint the object does not reach', () => {
  const p = usePipeline({ alerts: false });

  it('the run fails with that said (on the ledger entry, for the dead-letter notice) rather than finishing a file it cannot line up', async () => {
    const pipe = p.get();
    const ref = await pipe.upload('outside/短.csv', '断面名称,监测时间,化学需氧量(mg/L)\n四新河,2023-07-15 08:00,20\n');
    const version = ref.etag as string;
    const lease = await pipe.ledger.acquire(ref, version, Date.now(), 60_000);
    if (lease.outcome !== 'acquired') throw new Error(lease.outcome);
    const token = await pipe.ledger.checkpoint(ref, version, lease.holder, checkpoint(1_000_000), Date.now() + 60_000);
    await expect(ingestObject(ref, pipe.services.ingest, { remainingMs: () => 60_000, handoff: token as string }))
      .rejects.toThrow(/^the file ended after \d+ events, before its checkpoint at 1000000: it does not read as it did$/);
    expect(await pipe.ledger.get(`${LOCAL_BUCKET}/outside/短.csv`, version)).toMatchObject({ status: 'processing', lastError: expect.stringContaining('before its checkpoint') });
  });
});

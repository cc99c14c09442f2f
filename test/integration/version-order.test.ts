/**
 * Versions of one key are stored in S3's order (the events' sequencers), not in the order their
 * events arrive: a late event for an older version never brings back its values or its days.
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { type IngestDeps, ingestObject } from '../../shared/ingest/ingest-object.js';
import { KeyHold, SupersededError } from '../../shared/ingest/version-order.js';
import { SEQUENCER_DIGITS, fileIdOf, paddedSequencer } from '../../shared/layout.js';
import type { ObjectRef } from '../../shared/ports/index.js';
import { shanghai } from '../helpers/parse.js';
import { collect, usePipeline } from '../helpers/pipeline.js';

const p = usePipeline();
const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';
const deps = (): IngestDeps => p.get().services.ingest;

/** Uploads a version outside incoming/ (no event: the test delivers the events, in the order it wants). */
async function version(key: string, rows: string[], sequencer: string): Promise<ObjectRef> {
  const ref = await p.get().upload(key, [HEADER, ...rows].join('\n'));
  return { ...ref, sequencer };
}

describe('an older S3 version never overwrites a newer one', () => {
  it('v2 stored, then a late event for v1: v2\'s values and days stay, v1 is marked superseded', async () => {
    const pipe = p.get();
    const key = 'late/xiaomeihe.csv';
    // v1 covers two days; v2 (uploaded later: a greater sequencer) corrects the first and drops the second.
    const v1 = await version(key, ['小湄河,2023-08-10 08:00,20,0.5', '小湄河,2023-08-11 08:00,40,0.5'], '0055AED6DCD90281E5');
    const v2 = await version(key, ['小湄河,2023-08-10 08:00,25,0.5'], '0055AED6DCD90281E6');
    expect((await ingestObject(v2, deps())).status).toBe('done');
    const late = await ingestObject(v1, deps());
    expect(late.status).toBe('superseded');
    const stored = await collect(pipe.store.querySite('xiaomeihe', shanghai('2023-08-10 00:00'), shanghai('2023-08-11 23:00')));
    expect(stored.map((s) => s.sample.values.COD)).toEqual([25]);
    expect((await pipe.store.dailyMeans('xiaomeihe', '2023-08-10', '2023-08-11')).map((d) => [d.period, d.means.COD])).toEqual([['2023-08-10', 25]]);
    expect(await pipe.ledger.get(fileIdOf(v1), v1.etag)).toMatchObject({ status: 'superseded', supersededBy: v2.etag, sequencer: paddedSequencer(v1.sequencer) });
    expect(await pipe.ledger.get(fileIdOf(v2), v2.etag)).toMatchObject({ status: 'done' });
    // The key's entry is its newest version's, though the late event was received last.
    expect(await pipe.ledger.get(fileIdOf(v1))).toMatchObject({ version: v2.etag, status: 'done' });
    // A redelivered late event is a duplicate of a finished entry.
    expect((await ingestObject(v1, deps())).status).toBe('duplicate');
  });

  it('v1 then v2: v2 replaces v1, as before', async () => {
    const pipe = p.get();
    const key = 'inorder/xiaomeihe.csv';
    const v1 = await version(key, ['小湄河,2023-08-12 08:00,20,0.5', '小湄河,2023-08-13 08:00,40,0.5'], 'A1');
    expect((await ingestObject(v1, deps())).status).toBe('done');
    const v2 = await version(key, ['小湄河,2023-08-12 08:00,25,0.5'], 'A2');
    expect((await ingestObject(v2, deps())).status).toBe('done');
    const stored = await collect(pipe.store.querySite('xiaomeihe', shanghai('2023-08-12 00:00'), shanghai('2023-08-12 23:00')));
    expect(stored.map((s) => [s.sample.values.COD, s.fileVersion])).toEqual([[25, v2.etag]]);
    expect((await pipe.store.dailyMeans('xiaomeihe', '2023-08-12', '2023-08-13')).map((d) => [d.period, d.means.COD])).toEqual([['2023-08-12', 25]]);
  });

  it('sequencers of different lengths compare after padding (AWS: "compare as hex after left-padding")', () => {
    expect(paddedSequencer('FF')! < paddedSequencer('100')!).toBe(true);
    expect(paddedSequencer('0055aed6')).toBe(paddedSequencer('55AED6'));
    expect(paddedSequencer('55AED6')).toHaveLength(SEQUENCER_DIGITS);
    expect(paddedSequencer('not-hex')).toBeUndefined();
  });

  it('the local S3\'s events carry sequencers, so uploads through the pipeline are ordered as in AWS', async () => {
    const pipe = p.get();
    const key = 'incoming/ordered-sixinhe.csv';
    await pipe.upload(key, [HEADER, '四新河,2023-08-14 08:00,20,0.5'].join('\n'));
    await pipe.upload(key, [HEADER, '四新河,2023-08-14 08:00,26,0.5'].join('\n'));
    await pipe.idle();
    const outcomes = pipe.handled.filter((h) => h.ref.key === key);
    expect(outcomes.map((h) => h.outcome?.status)).toEqual(['done', 'done']);
    const [first, second] = outcomes.map((h) => (h.outcome as { entry: { sequencer?: string } }).entry.sequencer);
    expect(first).toMatch(/^[0-9A-F]{64}$/);
    expect(second! > first!).toBe(true);
    const stored = await collect(pipe.store.querySite('sixinhe', shanghai('2023-08-14 08:00'), shanghai('2023-08-14 08:00')));
    expect(stored.map((s) => s.sample.values.COD)).toEqual([26]);
  });
});

describe('two versions of one key at once', () => {
  it('the newer waits for the older to notice at its next write and stop; then it writes alone', async () => {
    const pipe = p.get();
    const ref = { bucket: LOCAL_BUCKET, key: 'race/k.csv' };
    const now = Date.now;
    const older = await KeyHold.claim(ref, 'v1', paddedSequencer('10')!, { ledger: pipe.ledger, now, leaseMs: 60_000 });
    if (!(older instanceof KeyHold)) throw new Error('v1 should hold the key');
    await older.check(); // still the newest: writes go on
    let newerClaimed = false;
    const newer = KeyHold.claim(ref, 'v2', paddedSequencer('11')!, { ledger: pipe.ledger, now, leaseMs: 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)) })
      .then((h) => { newerClaimed = true; return h; });
    await new Promise((r) => setTimeout(r, 200));
    expect(newerClaimed).toBe(false); // v1 still holds the writer's slot
    await expect(older.check()).rejects.toBeInstanceOf(SupersededError); // v1's next write stops it
    await older.release();
    expect(await newer).toBeInstanceOf(KeyHold);
    // An older version arriving now is superseded at once.
    expect(await KeyHold.claim(ref, 'v0', paddedSequencer('0F')!, { ledger: pipe.ledger, now, leaseMs: 60_000 })).toEqual({ supersededBy: 'v2' });
  });

  it('a newer version that waits too long is retried later, its error on the ledger entry and its lease given back', async () => {
    const pipe = p.get();
    const key = 'race/busy.csv';
    const holder = await KeyHold.claim({ bucket: LOCAL_BUCKET, key }, 'old', paddedSequencer('20')!, { ledger: pipe.ledger, now: Date.now, leaseMs: 60_000 });
    expect(holder).toBeInstanceOf(KeyHold);
    const v = await version(key, ['赵牛河,2023-08-15 08:00,20,0.5'], '21');
    await expect(ingestObject(v, { ...deps(), keyWaitMs: 300 })).rejects.toMatchObject({ name: 'KeyBusyError' });
    const entry = await pipe.ledger.get(fileIdOf(v), v.etag);
    expect(entry).toMatchObject({ status: 'processing', lastError: expect.stringMatching(/^KeyBusyError: .*older version \(old\)/) });
    expect(entry!.leaseUntil).toBeLessThanOrEqual(Date.now());
    await (holder as KeyHold).release();
    expect((await ingestObject(v, deps())).status).toBe('done');
  });
});

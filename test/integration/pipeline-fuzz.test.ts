/**
 * No file sends its message to the dead-letter queue: random bytes and mutated valid files of every
 * format, under awkward keys, go through ingestObject on the emulators (alert rules on, as
 * deployed). Every file ends done or failed (quarantined) — no error escapes for an input problem —
 * its ledger entry says so, and every sample it stored is queryable.
 * A fixed seed keeps CI repeatable and short; FUZZ_SEED and FUZZ_RUNS explore further
 * (e.g. FUZZ_SEED=$RANDOM FUZZ_RUNS=500 npx vitest run test/integration/pipeline-fuzz.test.ts).
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { EvaluatedSample } from '../../shared/domain/evaluate.js';
import { ingestObject } from '../../shared/ingest/ingest-object.js';
import { fileIdOf } from '../../shared/layout.js';
import { frame } from '../../shared/parsers/hj212.js';
import type { IngestListener } from '../../shared/ports/index.js';
import { collect, usePipeline } from '../helpers/pipeline.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20231130);
const RUNS = (n: number) => Number(process.env.FUZZ_RUNS ?? n);

const CSV = '断面名称,监测时间,pH值,溶解氧(mg/L),化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)\n赵牛河,2023/7/15 8:00,7.6,5.4,24,1.32,0.28\n四新河,2023-07-15 09:00,8.1,3.9,36,0.05L,0.35\n';
const LONG = '站点名称,监测时间,监测项目,监测值,单位,数据标识\n四新河,2023-07-15 08:00,化学需氧量,31,mg/L,N\n四新河,2023-07-15 08:00,氨氮,0.8,mg/L,N\n';
const JSON_ARRAY = JSON.stringify([{ site: '四新河', time: '2023-07-15 08:00', values: { COD: 31, NH3N: 0.8 } }, { site: 'zhaoniuhe', time: '2023-07-15 09:00', TP: 0.2 }], null, 1);
const NDJSON = '{"site":"sixinhe","time":"2023-07-15 08:00","COD":31}\n{"site":"xiaomeihe","time":"2023-07-15 09:00","pH":7.1}\n';
const HJ212 = frame('QN=20230715080000123;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.52,w21003-Flag=N;w21011-Avg=0.3,w21011-Flag=D&&');
const VALID: [string, Uint8Array][] = [
  ['csv', Buffer.from(CSV)], ['gbk.csv', iconv.encode(CSV, 'gbk')], ['long.csv', Buffer.from(LONG)],
  ['a.json', Buffer.from(JSON_ARRAY)], ['a.ndjson', Buffer.from(NDJSON)], ['station.log', Buffer.from(HJ212)],
];

type Mutation = { kind: 'flip' | 'delete' | 'insert' | 'truncate'; at: number; byte?: number; len?: number; text?: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', ',', '\n', '{', '[', '\u0000', '\u001b[31m', '氨氮', 'NaN', '1e999', '-5', '站'.repeat(800), 'x'.repeat(5_000)) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Buffer {
  let b = Buffer.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip') b[at] = m.byte!;
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len!)]);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text!), b.subarray(at)]);
    else b = b.subarray(0, at);
  }
  return b;
}

/** Key names as uploads bring them: spaces, '+', '%', Chinese, brackets. */
const keyName = fc.array(fc.constantFrom(...'ab 1+%#&=()[]站点·-_'.split('')), { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));

const stored = new Map<string, EvaluatedSample[]>();
const capture: IngestListener = {
  async stored(batch) {
    for (const s of batch) {
      const file = s.sample.source.file;
      stored.set(file, [...(stored.get(file) ?? []), s]);
    }
  },
  async fileDone() {},
  async fileQuarantined() {},
};

const p = usePipeline({ listeners: [capture] });
let n = 0;

/** One file through ingestObject: it must end done or failed, and what it stored must be there. */
async function throughPipeline(bytes: Uint8Array, name: string): Promise<void> {
  const pipe = p.get();
  const key = `fuzz/${n++}/${name}`;
  const ref = await pipe.upload(key, bytes);
  const outcome = await ingestObject(ref, pipe.services.ingest); // throws only for passing faults: none here
  expect(['done', 'failed']).toContain(outcome.status);
  const entry = await pipe.ledger.get(fileIdOf(ref), ref.etag);
  expect(entry?.status).toBe(outcome.status);
  if (outcome.status === 'failed') expect(entry!.quarantineKey).toBeTruthy();
  const file = key.split('/').pop()!;
  const mine = stored.get(file) ?? [];
  stored.delete(file);
  expect(mine.length).toBeLessThanOrEqual(entry!.accepted ?? 0);
  for (const { sample } of mine) {
    const found = await collect(pipe.store.querySite(sample.site, sample.time, sample.time));
    expect(found.some((s) => s.fileId === fileIdOf(ref) && s.sample.interval === sample.interval)).toBe(true);
  }
}

describe('pipeline fuzzing: nothing in a file sends it to the dead-letter queue', () => {
  it('random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), keyName, fc.constantFrom('.csv', '.json', '.log', '', '.csv.gz'), async (bytes, name, ext) => {
      await throughPipeline(bytes, `${name}${ext}`);
    }), { numRuns: RUNS(15), seed: SEED });
  });

  it('mutated valid files of every format', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 5 }), keyName, async ([ext, bytes], ms, name) => {
      await throughPipeline(mutate(bytes, ms), `${name}.${ext}`);
    }), { numRuns: RUNS(25), seed: SEED });
  });

  it('the unmutated files are stored whole (the fuzz starts from valid input)', async () => {
    for (const [ext, bytes] of VALID) {
      const pipe = p.get();
      const ref = await pipe.upload(`fuzz/valid/${ext}`, bytes);
      expect(await ingestObject(ref, pipe.services.ingest)).toMatchObject({ status: 'done', entry: { rejected: 0, accepted: expect.any(Number) } });
      stored.delete(ext);
    }
  });
});

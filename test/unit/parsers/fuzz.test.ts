/**
 * No input crashes a parser: random bytes and mutated valid files of every format either are
 * rejected as a whole with a FileRejectedError, or stream well-formed events to the end.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { frame } from '../../../shared/parsers/hj212.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseBytes } from '../../helpers/parse.js';

const CSV = '断面名称,监测时间,pH值,溶解氧(mg/L),化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)\n赵牛河,2023/7/15 8:00,7.6,5.4,24,1.32,0.28\n四新河,2023-07-15 09:00,8.1,3.9,36,0.05L,0.35\n';
const LONG = '站点名称,监测时间,监测项目,监测值,单位,数据标识\n四新河,2023-07-15 08:00,化学需氧量,31,mg/L,N\n四新河,2023-07-15 08:00,氨氮,0.8,mg/L,N\n';
const JSON_ARRAY = JSON.stringify([{ site: '四新河', time: '2023-07-15 08:00', values: { COD: 31, NH3N: 0.8 } }, { site: 'zhaoniuhe', time: '2023-07-15 09:00', TP: 0.2 }], null, 1);
const NDJSON = '{"site":"sixinhe","time":"2023-07-15 08:00","COD":31}\n{"site":"xiaomeihe","time":"2023-07-15 09:00","pH":7.1}\n';
const HJ212 = frame('QN=20230715080000123;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.52,w21003-Flag=N;w21011-Avg=0.3,w21011-Flag=D&&')
  + frame('QN=20230715080000123;ST=21;CN=9015;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&&&');

const VALID: [string, Uint8Array][] = [
  ['csv', Buffer.from(CSV)], ['gbk.csv', iconv.encode(CSV, 'gbk')], ['long.csv', Buffer.from(LONG)],
  ['a.json', Buffer.from(JSON_ARRAY)], ['a.ndjson', Buffer.from(NDJSON)], ['station.log', Buffer.from(HJ212)],
];

/**
 * A fixed seed keeps CI repeatable; FUZZ_SEED and FUZZ_RUNS explore further
 * (e.g. FUZZ_SEED=$RANDOM FUZZ_RUNS=5000 npx vitest run test/unit/parsers/fuzz.test.ts).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20231129);
const RUNS = (n: number) => Number(process.env.FUZZ_RUNS ?? n);

async function checkNoCrash(bytes: Uint8Array, name: string): Promise<void> {
  try {
    const p = await parseBytes(bytes, name, { chunk: 1 + (bytes.length % 17) });
    for (const s of p.samples) {
      expect(typeof s.site).toBe('string');
      expect(s.site.length).toBeGreaterThan(0);
      expect(Number.isFinite(s.time)).toBe(true);
      for (const v of Object.values(s.values)) expect(Number.isFinite(v)).toBe(true);
    }
    for (const r of [...p.rejected, ...p.skipped]) {
      expect(r.line).toBeGreaterThanOrEqual(0);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
    expect(err.reason.length).toBeGreaterThan(0);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', ',', '\n', '\r', '{', '}', '[', ']', '##', '&&', ';', '=', '-', 'L', '\u0000', '氨氮', 'NaN', '1e999', '-5') }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), len: fc.constant(0) }),
);

type Mutation = { kind: 'flip' | 'delete' | 'insert' | 'truncate'; at: number; byte?: number; len?: number; text?: string };

function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Buffer {
  let b = Buffer.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip') { b[at] = m.byte!; }
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len!)]);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text!), b.subarray(at)]);
    else b = b.subarray(0, at);
  }
  return b;
}

describe('parser fuzzing', () => {
  it('random bytes never crash the reader', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('x.csv', 'x.json', 'x.log', 'x'), async (bytes, name) => {
      await checkNoCrash(bytes, name);
    }), { numRuns: RUNS(300), seed: SEED });
  });

  it('random text in every format\'s alphabet never crashes the reader', async () => {
    const alphabet = fc.constantFrom(...'##0123456789QN=;ST=21CN=2061MN=&&CP=DataTime,-Avg=Flag=N\n\r"{}[]:,site time COD 氨氮 断面 L<ND'.split(''));
    await fc.assert(fc.asyncProperty(fc.array(alphabet, { maxLength: 400 }), async (chars) => {
      await checkNoCrash(Buffer.from(chars.join('')), 'y.txt');
    }), { numRuns: RUNS(300), seed: SEED });
  });

  for (const [name, bytes] of VALID) {
    it(`mutated ${name} files never crash the reader`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (ms) => {
        await checkNoCrash(mutate(bytes, ms), name);
      }), { numRuns: RUNS(150), seed: SEED });
    });
  }

  it('the unmutated files are read cleanly (the fuzz starts from valid input)', async () => {
    for (const [name, bytes] of VALID) {
      const p = await parseBytes(bytes, name);
      expect(p.rejected, name).toEqual([]);
      expect(p.samples.length, name).toBeGreaterThan(0);
    }
  });
});

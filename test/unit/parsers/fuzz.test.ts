/**
 * No input crashes a parser: random bytes and mutated valid files of every format either are
 * rejected as a whole with a FileRejectedError, or stream well-formed events to the end — with
 * every bound held (lines, cells, names, reasons), and the same events however the bytes are chunked.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { frame } from '../../../shared/parsers/hj212.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { MAX_QUOTED_CHARS, MAX_REASON_CHARS, MAX_SITE_NAME_CHARS } from '../../../shared/limits.js';
import { type Parsed, parseBytes } from '../../helpers/parse.js';

const CSV = '断面名称,监测时间,pH值,溶解氧(mg/L),化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)\n赵牛河,2023/7/15 8:00,7.6,5.4,24,1.32,0.28\n四新河,2023-07-15 09:00,8.1,3.9,36,0.05L,0.35\n';
const LONG = '站点名称,监测时间,监测项目,监测值,单位,数据标识\n四新河,2023-07-15 08:00,化学需氧量,31,mg/L,N\n四新河,2023-07-15 08:00,氨氮,0.8,mg/L,N\n';
const JSON_ARRAY = JSON.stringify([{ site: '四新河', time: '2023-07-15 08:00', values: { COD: 31, NH3N: 0.8 } }, { site: 'zhaoniuhe', time: '2023-07-15 09:00', TP: 0.2 }], null, 1);
const NDJSON = '{"site":"sixinhe","time":"2023-07-15 08:00","COD":31}\n{"site":"xiaomeihe","time":"2023-07-15 09:00","pH":7.1}\n';
const HJ212 = frame('QN=20230715080000123;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.52,w21003-Flag=N;w21011-Avg=0.3,w21011-Flag=D&&')
  + frame('QN=20230715080000123;ST=21;CN=9015;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&&&');

/** A station report as clerks make it: title, metadata line, thousands separators, missing markers, a footer block. */
const REPORT = [
  '赵牛河断面小时数据报表,,,', '站点名称：赵牛河自动站,,,', '监测时间,流量(L/s),化学需氧量(mg/L),氨氮(mg/L)',
  '2023-07-15 08:00,"1,182",24,0.52', '2023-07-15 09:00,#N/A,缺测,0.50', '2023-07-15 10:00,"5,400",-3,abc',
  '平均值,,24,0.51', '备注：数据为小时均值,,,', '',
].join('\n');
const LOG = `connected\n${HJ212}disconnected\n2023-07-15 08:00:01\n`;

const VALID: [string, Uint8Array][] = [
  ['csv', Buffer.from(CSV)], ['gbk.csv', iconv.encode(CSV, 'gbk')], ['long.csv', Buffer.from(LONG)],
  ['a.json', Buffer.from(JSON_ARRAY)], ['a.ndjson', Buffer.from(NDJSON)], ['station.log', Buffer.from(HJ212)],
  ['report.csv', Buffer.from(REPORT)], ['report-gbk.csv', iconv.encode(REPORT, 'gbk')], ['connections.log', Buffer.from(LOG)],
];

/** Small enough that mutations make over-long lines and records. */
const LIMITS = { maxLineBytes: 200 };

/**
 * A fixed seed keeps CI repeatable; FUZZ_SEED and FUZZ_RUNS explore further
 * (e.g. FUZZ_SEED=$RANDOM FUZZ_RUNS=5000 npx vitest run test/unit/parsers/fuzz.test.ts).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20231129);
const RUNS = (n: number) => Number(process.env.FUZZ_RUNS ?? n);

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What every event must hold, whatever the input. */
function checkEvents(p: Parsed): void {
  for (const s of p.samples) {
    expect(typeof s.site).toBe('string');
    expect(s.site.length).toBeGreaterThan(0);
    expect(s.site.length).toBeLessThanOrEqual(MAX_SITE_NAME_CHARS);
    expect(s.site).not.toMatch(CONTROL);
    expect(Number.isFinite(s.time)).toBe(true);
    expect(s.time).toBeGreaterThanOrEqual(Date.parse('1970-01-01T00:00:00+08:00'));
    for (const v of Object.values(s.values)) expect(Number.isFinite(v)).toBe(true);
  }
  for (const r of [...p.rejected, ...p.skipped]) {
    expect(r.line).toBeGreaterThanOrEqual(0);
    expect(r.reason.length).toBeGreaterThan(0);
    expect(r.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(r.reason).not.toMatch(CONTROL);
  }
  for (const c of p.cells) {
    expect(c.line).toBeGreaterThanOrEqual(1);
    expect(c.reason.length).toBeGreaterThan(0);
    expect(c.value.length).toBeLessThanOrEqual(MAX_QUOTED_CHARS);
    expect(`${c.param}${c.value}${c.reason}`).not.toMatch(CONTROL);
  }
  for (const w of p.warnings) expect(w).not.toMatch(CONTROL);
  expect(p.missing).toBeGreaterThanOrEqual(0);
}

async function checkNoCrash(bytes: Uint8Array, name: string): Promise<void> {
  for (const limits of [{}, LIMITS]) {
    try {
      checkEvents(await parseBytes(bytes, name, { chunk: 1 + (bytes.length % 17), limits }));
    } catch (err) {
      if (!(err instanceof FileRejectedError)) throw err;
      expect(err.reason.length).toBeGreaterThan(0);
      expect(err.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
      expect(err.reason).not.toMatch(CONTROL);
    }
  }
}

/** The events (or the file's rejection) read with two chunkings. */
async function outcome(bytes: Uint8Array, name: string, chunk: number): Promise<unknown> {
  try {
    const p = await parseBytes(bytes, name, { chunk, limits: LIMITS, now: () => Date.parse('2024-01-01T00:00:00Z') });
    return { encoding: p.encoding, events: p.events };
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
    return { rejected: err.reason };
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', ',', '\n', '\r', '{', '}', '[', ']', '##', '&&', ';', '=', '-', 'L', '\u0000', '氨氮', 'NaN', '1e999', '-5',
    '"1,182"', '#N/A', '缺测', '平均值', '备注：', '站点名称：', '赵牛河自动站', '\u001b[31m', '\u00e9', 'x'.repeat(300), '['.repeat(100), ',,,,,,,,,,', '0001-01-01', 'connected') }),
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

  it('mutated files give the same events however their bytes are chunked', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 40 }),
      async ([name, bytes], ms, chunk) => {
        const b = mutate(bytes, ms);
        expect(await outcome(b, name, chunk)).toEqual(await outcome(b, name, 1 << 16));
      }), { numRuns: RUNS(200), seed: SEED });
  });

  it('the unmutated files are read cleanly (the fuzz starts from valid input)', async () => {
    for (const [name, bytes] of VALID) {
      const p = await parseBytes(bytes, name);
      expect(p.samples.length, name).toBeGreaterThan(0);
      // The station report carries its faults on purpose: dropped cells, a footer, a near-miss site name.
      if (name.startsWith('report')) {
        expect(p.rejected.map((r) => r.line), name).toEqual([]);
        expect(p.cells.map((c) => [c.line, c.param]), name).toEqual([[6, 'COD'], [6, 'NH3N']]);
        expect(p.skipped.map((x) => x.line), name).toEqual([7, 8]);
        expect(p.samples.map((x) => [x.site, x.registered]), name).toEqual(Array(3).fill(['赵牛河自动站', false]));
        expect(p.warnings, name).toEqual(['站点「赵牛河自动站」未登记，是否为 赵牛河断面 (zhaoniuhe)？如是请加入 config/sites.json 的 aliases']);
      } else {
        expect(p.rejected, name).toEqual([]);
      }
    }
  });
});

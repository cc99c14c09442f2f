/**
 * The encoding decision (issue 10 item 4): evidence weighed over a head of a fixed size, a stray
 * byte in a UTF-8 file kept UTF-8 and reported, GBK still detected, an ASCII head waited past, and
 * the same answer — encoding, text and events — however the bytes are chunked.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { ENCODING_HEAD_BYTES, MAX_ENCODING_SNIFF_BYTES, MAX_ENCODING_WARNINGS } from '../../../shared/limits.js';
import { openText } from '../../../shared/parsers/decode.js';
import { frame } from '../../../shared/parsers/hj212.js';
import { events, openMonitoringFile } from '../../../shared/parsers/read.js';
import type { ParseEvent } from '../../../shared/parsers/types.js';
import { parseBytes } from '../../helpers/parse.js';

const ROWS = (n: number, site = '小湄河断面') =>
  Array.from({ length: n }, (_, i) => `${site},2023-07-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00,${(0.3 + (i % 7) / 10).toFixed(2)},7.${i % 9}`);
const HEADER = '断面名称,监测时间,氨氮(mg/L),pH值';

describe('a UTF-8 file with a stray Latin-1 byte', () => {
  const text = [HEADER, ...ROWS(40)].join('\n');
  const bytes = Buffer.from(text, 'utf8');
  // 'é' as Latin-1 (0xE9) in line 12's pH cell — the kind of byte an editor in the wrong code page leaves.
  const at = bytes.indexOf(Buffer.from('\n', 'utf8'), bytes.indexOf(Buffer.from(ROWS(40)[10]!, 'utf8'))) - 1;
  const stray = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at)]);

  it('stays UTF-8: every site name is read right, the byte becomes U+FFFD and its line is named', async () => {
    const p = await parseBytes(stray, 'x.csv', { chunk: 5 });
    expect(p.encoding).toBe('utf-8');
    expect(new Set(p.samples.map((s) => s.site))).toEqual(new Set(['xiaomeihe']));
    expect(p.samples).toHaveLength(40); // the row with the bad pH keeps its NH3-N
    expect(p.cells).toEqual([{ line: 12, param: 'pH', value: expect.stringContaining('\uFFFD'), reason: expect.stringMatching(/not a number/) }]);
    expect(p.events.filter((e) => e.type === 'warning')).toEqual([
      { type: 'warning', line: 12, message: 'bytes that are not valid UTF-8 (E9) were read as U+FFFD (�)' },
    ]);
  });

  it('reports at most a bounded number of lines one by one, the rest counted', async () => {
    const many = Buffer.from([HEADER, ...ROWS(60).map((r) => `${r}\u0000`)].join('\n'), 'utf8');
    const broken = Buffer.from(many.map((b) => (b === 0 ? 0xff : b)));
    const p = await parseBytes(Buffer.concat([Buffer.from(HEADER + '\n'), broken.subarray(broken.indexOf(10) + 1)]), 'y.csv');
    expect(p.encoding).toBe('utf-8');
    const lines = p.events.filter((e) => e.type === 'warning' && e.line !== undefined);
    expect(lines).toHaveLength(MAX_ENCODING_WARNINGS);
    expect(p.warnings.at(-1)).toBe(`${60 - MAX_ENCODING_WARNINGS} more lines hold bytes that are not valid UTF-8, read as U+FFFD (�)`);
  });
});

describe('GBK and GB18030', () => {
  it('are still detected, with chunks cutting every character', async () => {
    const text = [HEADER, ...ROWS(30, '赵牛河断面')].join('\r\n');
    for (const enc of ['gbk', 'gb18030']) {
      const p = await parseBytes(iconv.encode(text, enc), 'g.csv', { chunk: 3 });
      expect(p.encoding).toBe('gb18030');
      expect(p.samples).toHaveLength(30);
      expect(p.samples[0]!.site).toBe('zhaoniuhe');
      expect(p.warnings).toEqual([]);
    }
  });

  it('a head of pure ASCII with GBK text later is decided when the GBK text arrives, not by default', async () => {
    const ascii = ROWS(3000, 'sixinhe');
    const text = [HEADER.replace('断面名称', 'site').replace('监测时间', 'time').replace('氨氮(mg/L)', 'NH3N').replace('pH值', 'pH'), ...ascii, ...ROWS(20, '赵牛河断面')].join('\n');
    const bytes = iconv.encode(text, 'gbk');
    expect(bytes.indexOf(0xd5)).toBeGreaterThan(ENCODING_HEAD_BYTES); // the first GBK byte lies past the head
    const p = await parseBytes(bytes, 'late.csv', { chunk: 4000 });
    expect(p.encoding).toBe('gb18030');
    expect(p.samples.slice(-20).map((s) => s.site)).toEqual(Array(20).fill('zhaoniuhe'));
  });

  it('past the sniff bound, UTF-8 is assumed and the stray bytes are reported, memory bounded', async () => {
    const line = 'sixinhe,2023-07-15 08:00,0.52,7.1\n';
    const lines = Math.ceil(MAX_ENCODING_SNIFF_BYTES / line.length) + 10;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('site,time,NH3N,pH\n');
      const block = Buffer.from(line.repeat(1000));
      for (let i = 0; i < lines; i += 1000) yield block;
      yield iconv.encode('赵牛河断面,2023-07-15 09:00,0.5,7.0\n', 'gbk');
    }
    const opened = await openMonitoringFile(source(), 'big.csv', { registry: defaultRegistry() });
    expect(opened.encoding).toBe('utf-8');
    let last: ParseEvent | undefined;
    const warnings: ParseEvent[] = [];
    for await (const ev of events(opened)) { if (ev.type === 'sample') last = ev; if (ev.type === 'warning') warnings.push(ev); }
    expect(last?.type === 'sample' && last.sample.site).toMatch(/\uFFFD/);
    expect(warnings).toHaveLength(1);
  });
});

describe('the same bytes, chunked any way', () => {
  const csv = Buffer.concat([Buffer.from([HEADER, ...ROWS(25)].join('\n')), Buffer.from([0xe9, 0x0a]), Buffer.from(ROWS(5).join('\n'))]);
  const files: [string, Buffer][] = [
    ['stray.csv', csv],
    ['gbk.csv', iconv.encode([HEADER, ...ROWS(25, '赵牛河')].join('\n'), 'gbk')],
    ['late-gbk.csv', iconv.encode(['site,time,COD', ...Array.from({ length: 2500 }, (_, i) => `sixinhe,2023-07-01 ${String(i % 24).padStart(2, '0')}:00,${20 + (i % 5)}`), '赵牛河,2023-07-02 08:00,21'].join('\n'), 'gbk')],
    ['a.ndjson', Buffer.from('{"site":"四新河","time":"2023-07-15 08:00","COD":"1,182"}\n{"site":"赵牛河\u00e9","time":"2023-07-15 09:00","TP":0.2}\n')],
    ['station.log', Buffer.from(`connected\n${frame('QN=20230715080000123;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.52,w21003-Flag=N&&')}`)],
  ];

  function chunks(bytes: Buffer, sizes: number[]): Readable {
    const parts: Buffer[] = [];
    let i = 0;
    for (let k = 0; i < bytes.length; k++) {
      const n = sizes[k % sizes.length]!;
      parts.push(bytes.subarray(i, i + n));
      i += n;
    }
    return Readable.from(parts);
  }

  async function read(bytes: Buffer, name: string, sizes: number[]) {
    const text = await openText(chunks(bytes, sizes), name);
    let decoded = '';
    for await (const s of text.chunks) decoded += s;
    const opened = await openMonitoringFile(chunks(bytes, sizes), name, { registry: defaultRegistry(), now: () => Date.parse('2024-01-01T00:00:00Z') });
    const evs: ParseEvent[] = [];
    for await (const ev of events(opened)) evs.push(ev);
    return { encoding: opened.encoding, textEncoding: text.encoding, decoded, events: evs };
  }

  for (const [name, bytes] of files) {
    it(`${name}: encoding, decoded text and events do not depend on the chunking`, async () => {
      const whole = await read(bytes, name, [bytes.length]);
      expect(whole.events.some((e) => e.type === 'sample')).toBe(true);
      await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        const r = await read(bytes, name, sizes);
        expect(r.encoding).toBe(whole.encoding);
        expect(r.textEncoding).toBe(whole.encoding);
        expect(r.decoded).toBe(whole.decoded);
        expect(r.events).toEqual(whole.events);
      }), { numRuns: 25, seed: 20240601 });
    });
  }
});

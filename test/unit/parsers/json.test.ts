/** JSON and NDJSON samples in both the nested and the flat form, with header aliases. */
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseBytes, shanghai } from '../../helpers/parse.js';

describe('JSON', () => {
  it('reads a pretty-printed array element by element, each with its starting line', async () => {
    const text = JSON.stringify([
      { site: '四新河', time: '2023-07-15 08:00', values: { COD: 31, '氨氮': 0.8, 'TP(mg/L)': 0.2 }, flags: { COD: 'N' } },
      { 断面名称: '赵牛河', 监测时间: '2023/7/15 9:00', 'NH3-N': '0.5', 总磷: '0.05L' },
    ], null, 2);
    const p = await parseBytes(text, 'a.json', { chunk: 3 });
    expect(p.format).toBe('json');
    expect(p.samples).toEqual([
      expect.objectContaining({ site: 'sixinhe', time: shanghai('2023-07-15 08:00'), values: { COD: 31, NH3N: 0.8, TP: 0.2 }, flags: { COD: 'N' }, source: { file: 'a.json', line: 2 } }),
      expect.objectContaining({ site: 'zhaoniuhe', values: { NH3N: 0.5, TP: 0.05 }, belowDetection: { TP: true }, source: { file: 'a.json', line: 14 } }),
    ]);
  });

  it('reads {"samples": [...]} and ignores other top-level keys', async () => {
    const p = await parseBytes('{"exportedBy":"平台","count":1,"samples":[{"site":"sixinhe","time":"2023-07-15T08:00:00+08:00","COD":20}]}', 'b.json');
    expect(p.samples).toHaveLength(1);
  });

  it('reads a platform API\'s answer: the samples under "data", or under "data"."records" of a paged answer, on one line or many', async () => {
    const one = (site: string, hour: number) => ({ pointName: site, monitorTime: `2023-07-15 0${hour}:00:00`, w01018: 20 + hour, w21003: '0.5' });
    const flat = JSON.stringify({ code: 0, msg: 'data', data: [one('赵牛河断面', 8), one('小湄河断面', 9)] });
    const paged = JSON.stringify({ code: 200, data: { total: 2, page: 1, records: [one('赵牛河断面', 8), one('小湄河断面', 9)] } }, null, 2);
    for (const [text, file] of [[flat, 'api.json'], [paged, 'paged.json'], [flat, 'api.ndjson']] as const) {
      const p = await parseBytes(text, file, { chunk: 5 });
      expect(p.format).toBe('json');
      expect(p.rejected).toEqual([]);
      expect(p.samples.map((s) => [s.site, s.time, s.values])).toEqual([
        ['zhaoniuhe', shanghai('2023-07-15 08:00'), { COD: 28, NH3N: 0.5 }],
        ['xiaomeihe', shanghai('2023-07-15 09:00'), { COD: 29, NH3N: 0.5 }],
      ]);
    }
  });

  it('takes a "data" key that holds no array, or an array below an unknown key, for no samples', async () => {
    // Pretty-printed: on one line an object without a sample array is an NDJSON sample.
    await expect(parseBytes('{\n"data": {"total": 0},\n"meta": {"rows": [1]}\n}', 'f.json')).rejects.toThrow(/holds no samples/);
    await expect(parseBytes('{\n"page": {"x": {"records": [{"site":"sixinhe"}]}}\n}', 'g.json')).rejects.toThrow(/holds no samples/);
  });

  it('rejects an element that is not an object and one with no valid value, drops bad values from the rest', async () => {
    const p = await parseBytes('[1, {"site":"sixinhe","time":"2023-07-15 08:00","COD":"x"}, {"site":"sixinhe","time":"2023-07-15 09:00","COD":20,"TP":"-0.1"}]', 'c.json');
    expect(p.samples.map((s) => s.values)).toEqual([{ COD: 20 }]);
    expect(p.rejected.map((r) => r.reason)).toEqual([
      'expected a JSON object per sample, got number',
      expect.stringMatching(/^no indicator has a valid value; 'COD': not a number .*, got 'x'$/),
    ]);
    expect(p.cells).toEqual([{ line: 1, param: 'TP', value: '-0.1', reason: "'TP': TP cannot be negative, got -0.1" }]);
  });

  it('reports a truncated file as a rejected tail, keeping the complete elements', async () => {
    const p = await parseBytes('[{"site":"sixinhe","time":"2023-07-15 08:00","COD":20},\n{"site":"sixinhe","ti', 'd.json');
    expect(p.samples).toHaveLength(1);
    expect(p.rejected).toEqual([{ line: 2, reason: 'the JSON ends early: brackets or quotes are not closed (truncated upload?)' }]);
  });

  it('rejects JSON that holds no samples as a whole', async () => {
    await expect(parseBytes('{\n"hello": "world"\n}', 'e.json')).rejects.toBeInstanceOf(FileRejectedError);
  });
});

describe('NDJSON', () => {
  it('reads one object per line and rejects broken lines by number', async () => {
    const p = await parseBytes([
      '{"site":"sixinhe","time":"2023-07-15 08:00","values":{"COD":31}}',
      '{"site":"sixinhe","time":',
      '',
      '{"station":"小湄河","datetime":20230715090000,"pH":7.1,"pH_flag":"N"}',
    ].join('\n'), 'f.ndjson');
    expect(p.format).toBe('ndjson');
    expect(p.samples.map((s) => [s.site, s.source.line])).toEqual([['sixinhe', 1], ['xiaomeihe', 4]]);
    expect(p.samples[1]).toMatchObject({ time: shanghai('2023-07-15 09:00'), values: { pH: 7.1 }, flags: { pH: 'N' } });
    expect(p.rejected[0]!.line).toBe(2);
    expect(p.rejected[0]!.reason).toMatch(/^not valid JSON/);
  });
});

describe('not monitoring data', () => {
  it.each([
    [Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'report.pdf', /is a PDF document/],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]), 'photo.png', /is a PNG image/],
    [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), 'data.zip', /is a ZIP archive: unpack it/],
    [Buffer.alloc(0), 'empty.csv', /the file is empty/],
    [Buffer.from('\n\n  \n'), 'blank.csv', /the file is empty/],
    [Buffer.from([0, 1, 2, 3, 0, 0, 0, 9, 200, 201]), 'blob.bin', /binary file/],
    [Buffer.from('<html><body>login</body></html>'), 'page.csv', /XML or HTML/],
  ])('%#: %s is rejected as a whole', async (bytes, name, reason) => {
    const err = await parseBytes(bytes, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).file).toBe(name);
    expect((err as FileRejectedError).reason).toMatch(reason);
  });
});

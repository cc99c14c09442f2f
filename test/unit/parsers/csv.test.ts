/**
 * CSV exports as monitoring platforms write them: Chinese and English headers with units, GBK,
 * BOM, wide and long layouts, below-detection values, sites from file names (docs/domain.md).
 */
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseBytes, shanghai } from '../../helpers/parse.js';

const WIDE_CN = [
  '断面名称,监测时间,水温(℃),pH值(无量纲),溶解氧(mg/L),高锰酸盐指数(mg/L),化学需氧量(mg/L),五日生化需氧量(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),氟化物(mg/L),汞(\u03bcg/L)',
  '赵牛河断面,2023/7/15 8:00,27.3,7.62,5.41,6.2,24,4.1,1.32,0.28,3.9,1.21,0.04',
  '小湄河,2023-07-15 09:00:00,27.1,8.91,6.02,4.4,18,3.0,0.62L,0.11,2.2,0.8,<0.01',
  '四新河出境断面,20230715100000,26.8,7.20,3.90,9.1,36,5.8,未检出,0.35,6.1,ND,0.02',
].join('\r\n');

describe('CSV, wide layout', () => {
  it('reads GBK with Chinese headers and units, pinning every value', async () => {
    const p = await parseBytes(iconv.encode(WIDE_CN, 'gbk'), 'export.csv', { chunk: 5 });
    expect(p.format).toBe('csv');
    expect(p.encoding).toBe('gb18030');
    expect(p.rejected).toEqual([]);
    expect(p.samples).toHaveLength(3);
    const [a, b, c] = p.samples;
    expect(a).toMatchObject({
      site: 'zhaoniuhe', registered: true, time: shanghai('2023-07-15 08:00'),
      values: { temp: 27.3, pH: 7.62, DO: 5.41, CODMn: 6.2, COD: 24, BOD5: 4.1, NH3N: 1.32, TP: 0.28, TN: 3.9, F: 1.21 },
      source: { file: 'export.csv', line: 2 },
    });
    expect(a!.values.Hg).toBeCloseTo(0.00004, 12); // µg/L → mg/L
    expect(b).toMatchObject({ site: 'xiaomeihe', time: shanghai('2023-07-15 09:00'), values: { NH3N: 0.62 }, belowDetection: { NH3N: true, Hg: true } });
    expect(b!.values.Hg).toBeCloseTo(0.00001, 12);
    expect(c).toMatchObject({ site: 'sixinhe', time: shanghai('2023-07-15 10:00'), flags: { NH3N: 'ND', F: 'ND' } });
    expect(c!.values.NH3N).toBeUndefined(); // not detected, no limit given: no number invented
  });

  it('reads UTF-8, UTF-8 with BOM and GB18030 to the same samples', async () => {
    const utf8 = await parseBytes(WIDE_CN);
    const bom = await parseBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(WIDE_CN)]));
    const gb = await parseBytes(iconv.encode(WIDE_CN, 'gb18030'));
    expect(utf8.encoding).toBe('utf-8');
    expect(bom.encoding).toBe('utf-8-bom');
    const strip = (s: typeof utf8.samples) => s.map(({ source: _s, ...rest }) => rest);
    expect(strip(bom.samples)).toEqual(strip(utf8.samples));
    expect(strip(gb.samples)).toEqual(strip(utf8.samples));
  });

  it('reads English headers with units, CODcr, NH3-N, TSV', async () => {
    const tsv = [
      'Station\tSample Time\tNH3-N (mg/L)\tCODcr\tTP(mg/L)\tDissolved Oxygen\tCr6+ (ug/L)',
      'sixinhe\t2023-07-15T08:00:00+08:00\t0.95\t28\t0.21\t4.2\t12',
    ].join('\n');
    const p = await parseBytes(tsv, 'x.tsv');
    expect(p.format).toBe('tsv');
    expect(p.samples[0]).toMatchObject({ site: 'sixinhe', values: { NH3N: 0.95, COD: 28, TP: 0.21, DO: 4.2 } });
    expect(p.samples[0]!.values.Cr6).toBeCloseTo(0.012, 12);
  });

  it('finds the header after a title row, and reads 采样日期 + 采样时间 as one time', async () => {
    const text = ['四新河出境断面人工监测报告,,,', '站点名称,采样日期,采样时间,化学需氧量', '四新河,2023-07-15,8:30,22', ''].join('\n');
    const p = await parseBytes(text);
    expect(p.rejected).toEqual([]);
    expect(p.samples[0]).toMatchObject({ site: 'sixinhe', time: shanghai('2023-07-15 08:30'), values: { COD: 22 }, source: { line: 3 } });
  });

  it('a date column that shows midnight too (as a spreadsheet exports a date cell) still takes the time column', async () => {
    const p = await parseBytes('站点名称,采样日期,采样时间,化学需氧量\n四新河,2023-07-15 00:00:00,8:30,22\n四新河,2023/7/16 0:00,09:15,23\n');
    expect(p.rejected).toEqual([]);
    expect(p.samples.map((s) => s.time)).toEqual([shanghai('2023-07-15 08:30'), shanghai('2023-07-16 09:15')]);
  });

  it('takes per-value flags from flag columns', async () => {
    const p = await parseBytes('site,time,COD,COD_flag,NH3N,氨氮标识\nsixinhe,2023-07-15 08:00,31,D,0.5,N\n');
    expect(p.samples[0]).toMatchObject({ values: { COD: 31, NH3N: 0.5 }, flags: { COD: 'D', NH3N: 'N' } });
  });

  it('takes the site from the file name when there is no site column', async () => {
    const p = await parseBytes('监测时间,氨氮\n2023-07-15 08:00,0.5\n', 'incoming/2023/赵牛河-202307.csv');
    expect(p.samples[0]).toMatchObject({ site: 'zhaoniuhe', values: { NH3N: 0.5 } });
  });

  it('rejects a file with no site column whose name names no site, saying so', async () => {
    await expect(parseBytes('监测时间,氨氮\n2023-07-15 08:00,0.5\n', 'report.csv')).rejects.toThrow(
      /report\.csv: is not monitoring data: no a site column .* the file name 'report\.csv' names no registered site/);
  });

  it('rejects a CSV with no recognisable columns, naming what was missing and what was found', async () => {
    const err = await parseBytes('name,age,city\nLi,30,Liaocheng\n', 'people.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toMatch(/no header row names a site, time or indicator column/);
    const err2 = await parseBytes('site,time,remark\nsixinhe,2023-07-15 08:00,ok\n', 'r.csv').catch((e: unknown) => e);
    expect((err2 as FileRejectedError).reason).toMatch(/no an indicator column .* Columns found: 'site', 'time', 'remark'/);
  });

  it('warns about a unit it cannot convert and keeps the rest', async () => {
    const p = await parseBytes('site,time,氨氮(kg/m2),COD\nsixinhe,2023-07-15 08:00,3,20\n');
    expect(p.warnings.join('\n')).toMatch(/column '氨氮\(kg\/m2\)': unit 'kg\/m2' cannot be converted/);
    expect(p.samples[0]!.values).toEqual({ COD: 20 });
  });

  it('gunzips transparently', async () => {
    const p = await parseBytes(gzipSync(Buffer.from(WIDE_CN)), 'export.csv.gz');
    expect(p.gzip).toBe(true);
    expect(p.samples).toHaveLength(3);
  });

  it('rejects a malformed row and keeps reading', async () => {
    const p = await parseBytes('site,time,COD\nsixinhe,2023-07-15 08:00,20\nsixinhe,"2023-07-15 09:00,21\n');
    expect(p.samples).toHaveLength(1);
    expect(p.rejected.length).toBeGreaterThanOrEqual(1);
  });
});

describe('CSV, long layout', () => {
  it('merges a row per indicator into one sample per site and time, with units and flags', async () => {
    const text = [
      '站点名称,监测时间,监测项目,监测值,单位,数据标识',
      '四新河,2023-07-15 08:00,化学需氧量,31,mg/L,N',
      '四新河,2023-07-15 08:00,氨氮,0.8,mg/L,N',
      '四新河,2023-07-15 08:00,汞,0.03,\u03bcg/L,N',
      '四新河,2023-07-15 09:00,化学需氧量,abc,mg/L,N',
      '四新河,2023-07-15 09:00,氨氮,0.7,mg/L,D',
      '四新河,2023-07-15 09:00,叶绿素a,12,ug/L,N',
      '赵牛河,2023-07-15 08:00,总磷,0.2,g/m2,N',
    ].join('\n');
    const p = await parseBytes(iconv.encode(text, 'gbk'));
    expect(p.samples).toHaveLength(2);
    expect(p.samples[0]).toMatchObject({ site: 'sixinhe', time: shanghai('2023-07-15 08:00'), values: { COD: 31, NH3N: 0.8 }, flags: { COD: 'N', NH3N: 'N' }, source: { line: 2 } });
    expect(p.samples[0]!.values.Hg).toBeCloseTo(0.00003, 12);
    // The 09:00 COD cannot be a value: dropped and reported on its own line; the hour keeps NH3-N.
    expect(p.samples[1]).toMatchObject({ values: { NH3N: 0.7 }, flags: { NH3N: 'D' }, unknown: { 叶绿素a: '12' } });
    expect(p.samples[1]!.values.COD).toBeUndefined();
    expect(p.cells).toEqual([
      { line: 5, param: 'COD', value: 'abc', reason: expect.stringMatching(/^'化学需氧量': not a number/) },
    ]);
    // 赵牛河 08:00 has nothing left once its only value's unit cannot be converted.
    expect(p.rejected).toEqual([
      { line: 8, reason: "no indicator has a valid value; '总磷': unit 'g/m2' cannot be converted to mg/L, got '0.2'" },
    ]);
    expect(p.warnings.join()).toMatch(/indicator '叶绿素a' is not in the catalogue/);
  });
});

describe('values that overflow', () => {
  it('drops 1e999 (Infinity) as not a number rather than storing it, found by fuzzing', async () => {
    const p = await parseBytes('site,time,COD,TP\nsixinhe,2023-07-15 08:00,1e999,0.1\nsixinhe,2023-07-15 09:00,20,0.05e999L\n');
    expect(p.samples.map((s) => s.values)).toEqual([{ TP: 0.1 }, { COD: 20 }]);
    expect(p.cells.map((c) => [c.line, c.param, c.value])).toEqual([[2, 'COD', '1e999'], [3, 'TP', '0.05e999L']]);
    expect(p.rejected).toEqual([]);
  });
});


describe('broken quoting', () => {
  it('rejects the line whose quoting breaks, saying how, and reads the lines after it', async () => {
    const p = await parseBytes('site,time,COD\nsixinhe,2023-07-15 08:00,20\nsixinhe,"2023"x,20\nsixinhe,2023-07-15 09:00,21\nsixinhe,2023-07-15 10:00,22\n');
    expect(p.samples.map((s) => [s.source.line, s.values.COD])).toEqual([[2, 20], [4, 21], [5, 22]]);
    expect(p.rejected).toEqual([
      { line: 3, reason: "not a CSV row: a quoted field is followed by 'x' (expected a delimiter or the end of the line)" },
    ]);
  });
});

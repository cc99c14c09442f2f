/**
 * A header written on two lines, names then units, as station software exports it: the units row
 * gives the columns their units and is not a sample.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseBytes, parseRows, shanghai } from '../../helpers/parse.js';

describe('a units row under the header', () => {
  it('in a GBK station report (title, metadata line, names, units, footer): every reading kept, nothing rejected', async () => {
    const text = [
      '赵牛河断面小时数据报表',
      '站点名称：赵牛河断面,,,,',
      '监测时间,pH,溶解氧,氨氮,总磷',
      ',无量纲,mg/L,mg/L,mg/L',
      '2023-07-15 00:00,7.5,6.2,0.52,0.12',
      '2023-07-15 01:00,7.6,6.0,0.55,0.13',
      '平均值,7.55,6.1,0.535,0.125',
    ].join('\r\n');
    const p = await parseBytes(iconv.encode(text, 'gb18030'), 'report.csv');
    expect(p.rejected).toEqual([]);
    expect(p.skipped).toEqual([
      { line: 4, reason: 'units row: not a sample' },
      { line: 7, reason: "statistics row '平均值': not a sample" },
    ]);
    expect(p.samples.map((s) => [s.site, s.time, s.values])).toEqual([
      ['zhaoniuhe', shanghai('2023-07-15 00:00'), { pH: 7.5, DO: 6.2, NH3N: 0.52, TP: 0.12 }],
      ['zhaoniuhe', shanghai('2023-07-15 01:00'), { pH: 7.6, DO: 6.0, NH3N: 0.55, TP: 0.13 }],
    ]);
  });

  it('converts by the unit it gives where the header names none; a unit in the header wins', async () => {
    const p = await parseBytes([
      'site,time,Hg,Cd(mg/L),COD',
      ',,μg/L,µg/L,mg/L',
      'sixinhe,2023-07-15 08:00,0.5,0.002,22',
    ].join('\n'));
    expect(p.samples).toHaveLength(1);
    expect(p.samples[0]!.values.Hg).toBeCloseTo(0.0005, 12);
    expect(p.samples[0]!.values.Cd).toBe(0.002);
    expect(p.samples[0]!.values.COD).toBe(22);
  });

  it('a unit bishui knows but cannot convert for that indicator leaves the column unread, with a warning', async () => {
    const p = await parseBytes([
      'site,time,COD,NH3N',
      ',,℃,mg/L',
      'sixinhe,2023-07-15 08:00,22,0.5',
    ].join('\n'));
    expect(p.samples.map((s) => s.values)).toEqual([{ NH3N: 0.5 }]);
    expect(p.warnings).toContainEqual("column 'COD': unit '℃' (units row) cannot be converted to mg/L; the column is not read");
  });

  it('is only the first row under the header, and only when its indicator cells are all units', async () => {
    const p = await parseBytes([
      'site,time,COD,NH3N',
      'sixinhe,2023-07-15 08:00,22,0.5',
      ',,mg/L,mg/L',
    ].join('\n'));
    expect(p.samples).toHaveLength(1);
    expect(p.skipped).toEqual([]);
    expect(p.rejected.map((r) => r.line)).toEqual([3]);

    const q = await parseBytes([
      'site,time,COD,NH3N',
      ',,mg/L,furlongs',
      'sixinhe,2023-07-15 08:00,22,0.5',
    ].join('\n'));
    expect(q.skipped).toEqual([]);
    expect(q.rejected.map((r) => r.line)).toEqual([2]); // not a units row: a row missing its site and time
  });

  it('each sheet of a workbook may have its own', async () => {
    const p = await parseRows([
      { sheet: 'A', line: 1, cells: ['站点', '时间', '汞'] },
      { sheet: 'A', line: 2, cells: ['', '', 'ng/L'] },
      { sheet: 'A', line: 3, cells: ['四新河', '2023-07-15 08:00', '50'] },
      { sheet: 'B', line: 1, cells: ['站点', '时间', '汞'] },
      { sheet: 'B', line: 2, cells: ['四新河', '2023-07-15 09:00', '0.00005'] },
    ]);
    expect(p.samples.map((s) => s.values.Hg)).toEqual([expect.closeTo(0.00005, 15), 0.00005]);
    expect(p.skipped).toEqual([{ line: 2, reason: 'units row: not a sample' }]);
  });
});

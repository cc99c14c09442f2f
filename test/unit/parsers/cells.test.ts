/**
 * Cell-level faults (issue 12 item 2): a cell that cannot be a value costs that value only; the
 * sample keeps the rest, and the dropped cell is reported with line, param, value and reason.
 * Numbers as clerks write them (`1,182`, full-width digits) are numbers; missing markers are
 * counted, not reported.
 */
import { describe, expect, it } from 'vitest';
import { parseCell } from '../../../shared/parsers/values.js';
import { parseBytes } from '../../helpers/parse.js';

describe('numbers as written', () => {
  it.each([
    ['1,182', 1182], ['5,400', 5400], ['12,345.6', 12345.6], ['-1,000', -1000], ['１２．５', 12.5], ['１，１８２', 1182], ['0.52', 0.52],
  ])('%s is %d', (text, value) => {
    expect(parseCell(text)).toEqual({ kind: 'number', value });
  });
  it.each(['1,18', '1,1820', '12,34.5', '1.182,5'])('%s is not a number', (text) => {
    expect(parseCell(text).kind).toBe('invalid');
  });
  it.each(['', '  ', '#N/A', 'N/A', '--', '—', '/', 'NaN', '缺测', '停运', '维护', '无', '未测', '-'])('%j is missing', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'missing' });
  });
  it.each([
    ['12.5', 12.5], ['12', 12], ['+3', 3], ['-3.25', -3.25], ['.5', 0.5], ['5.', 5], ['007', 7], ['1e3', 1000], ['1E-3', 0.001],
    ['2.5e+2', 250], ['.55', 0.55], ['1e10', 1e10], ['2.5E-12', 2.5e-12], ['  0.52\t', 0.52], ['123,456', 123456], ['1,234,567', 1234567], ['+1,000.25', 1000.25],
  ])('%j is %d', (text, value) => {
    expect(parseCell(text)).toEqual({ kind: 'number', value });
  });
  it.each(['x12', '12x', '12.5.1', '1e', 'e3', '1,2345', '1234,567', ',123', '1,182.', '1.2.3,456', '12 5', '0x10'])('%j is not a number, kept as written', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'invalid', text });
  });
});

describe('missing markers as stations and clerks write them', () => {
  it.each([
    '-', '--', '---', '—', '——', '/', '//', '\\', '*', '**', '***', 'na', 'NA', 'n/a', 'N/A', 'n.a.', 'N.A.', '#N/A', '#n/a',
    'null', 'NULL', 'None', 'none', 'nan', 'NaN', 'NAN', '无', '无数据', '未测', '缺测', '缺失', '停运', '停机', '维护', '维修', '故障',
    '校准', '断电', '离线', ' 缺测 ', '\t--',
  ])('%j is missing, not a rejection', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'missing' });
  });
  it('a cell without a value at all (JSON null, an absent key) is missing', () => {
    expect(parseCell(null)).toEqual({ kind: 'missing' });
    expect(parseCell(undefined)).toEqual({ kind: 'missing' });
  });
  it.each(['nil', 'n', '-/-', '无效', '测'])('%j is not a marker: invalid, kept as written', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'invalid', text });
  });
});

describe('numbers a JSON file gives as numbers', () => {
  it('a finite number is itself; Infinity and NaN are no measurement', () => {
    expect(parseCell(0.52)).toEqual({ kind: 'number', value: 0.52 });
    expect(parseCell(-3)).toEqual({ kind: 'number', value: -3 });
    expect(parseCell(Infinity)).toEqual({ kind: 'invalid', text: 'Infinity' });
    expect(parseCell(NaN)).toEqual({ kind: 'invalid', text: 'NaN' });
  });
  it('text that reads as a number beyond a double (1e999) is not a measurement', () => {
    expect(parseCell('1e999')).toEqual({ kind: 'invalid', text: '1e999' });
    expect(parseCell('-1e999')).toEqual({ kind: 'invalid', text: '-1e999' });
  });
});

describe('below the detection limit', () => {
  it.each([
    ['0.01L', 0.01], ['0.01l', 0.01], ['0.01 L', 0.01], ['.5L', 0.5], ['2.L', 2], ['1e-3L', 0.001], ['5E-2L', 0.05], ['12L', 12],
    ['<0.01', 0.01], ['< 0.01', 0.01], ['<.5', 0.5], ['<1e-3', 0.001], ['＜0.01', 0.01], ['＜ 0.02', 0.02],
    ['ND(0.01)', 0.01], ['nd(0.01)', 0.01], ['ND (0.01)', 0.01], ['ND( 0.01 )', 0.01], ['ND（0.01）', 0.01], ['未检出(0.02)', 0.02],
    ['未检出（0.02）', 0.02], ['低于检出限(0.5)', 0.5], ['ND(1e-3)', 0.001], ['ND(.5)', 0.5],
    ['０．０１Ｌ', 0.01], ['＜０．０１', 0.01],
    ['12.5L', 12.5], ['.55L', 0.55], ['1e3L', 1000], ['1e-10L', 1e-10], ['<12.5', 12.5], ['<.55', 0.55], ['<1e3', 1000], ['<1e-10', 1e-10],
    ['ND(12.5)', 12.5], ['ND(1e3)', 1000], ['ND(1e-10)', 1e-10], ['ND(.55)', 0.55],
  ])('%j is below a detection limit of %d', (text, limit) => {
    expect(parseCell(text)).toEqual({ kind: 'below', limit });
  });
  it.each(['ND', 'nd', 'Nd', '未检出', '未检测出', '低于检出限', '<DL', '<dl', 'BDL', 'bdl', ' ND ', 'ＮＤ'])('%j is below an unstated limit', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'below', limit: undefined });
  });
  it.each(['1e999L', '<1e999', 'ND(1e999)'])('%j gives no finite limit: not a value', (text) => {
    expect(parseCell(text)).toEqual({ kind: 'invalid', text });
  });
  it.each(['L', '0.01LL', 'x0.01L', '<', '<<0.01', '<0.01x', '>0.01', '<-0.01', '-0.01L', 'ND(', 'ND()', 'ND(x)', 'ND0.01', 'NDA', 'xND', 'ND(0.01)x'])(
    '%j is not a below-detection form: invalid, kept as written',
    (text) => {
      expect(parseCell(text)).toEqual({ kind: 'invalid', text });
    },
  );
});

describe('a bad cell costs only its value', () => {
  it('keeps a flow of "1,182" and counts missing markers, in a wide station export', async () => {
    const csv = [
      '断面名称,监测时间,流量(L/s),化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)',
      '赵牛河断面,2023-07-15 08:00,"1,182",24,0.52,0.11',
      '赵牛河断面,2023-07-15 09:00,"5,400",#N/A,0.50,--',
      '赵牛河断面,2023-07-15 10:00,停运,缺测,维护,',
    ].join('\n');
    const p = await parseBytes(csv);
    expect(p.samples.map((s) => s.values)).toEqual([
      { flow: 1182, COD: 24, NH3N: 0.52, TP: 0.11 },
      { flow: 5400, NH3N: 0.5 },
    ]);
    expect(p.cells).toEqual([]);
    expect(p.missing).toBe(2 + 4);
    expect(p.rejected).toEqual([{ line: 4, reason: 'no indicator has a value' }]);
  });

  it('drops "abc", a negative concentration, pH 15 and DO 31, each reported with line, param, value and reason', async () => {
    const csv = [
      'site,time,COD,NH3N,pH,DO',
      'sixinhe,2023-07-15 08:00,abc,0.8,7.2,6',
      'sixinhe,2023-07-15 09:00,20,-0.3,15,31',
    ].join('\n');
    const p = await parseBytes(csv, 'faults.csv');
    expect(p.rejected).toEqual([]);
    expect(p.samples.map((s) => s.values)).toEqual([{ NH3N: 0.8, pH: 7.2, DO: 6 }, { COD: 20 }]);
    expect(p.cells).toEqual([
      { line: 2, param: 'COD', value: 'abc', reason: expect.stringMatching(/^column 'COD': not a number \(expected a number such as 0\.52 or 1,182/) },
      { line: 3, param: 'NH3N', value: '-0.3', reason: "column 'NH3N': NH3N cannot be negative, got -0.3" },
      { line: 3, param: 'pH', value: '15', reason: "column 'pH': pH must be between 0 and 14, got 15" },
      { line: 3, param: 'DO', value: '31', reason: "column 'DO': DO above 30 mg/L is not physically plausible, got 31" },
    ]);
  });

  it('rejects a row only when no valid value is left, naming every dropped cell', async () => {
    const p = await parseBytes('site,time,COD,NH3N\nsixinhe,2023-07-15 08:00,abc,-1\n');
    expect(p.samples).toEqual([]);
    expect(p.cells).toEqual([]);
    expect(p.rejected).toEqual([{
      line: 2,
      reason: expect.stringMatching(/^no indicator has a valid value; column 'COD': not a number .*, got 'abc'; column 'NH3N': NH3N cannot be negative, got -1, got '-1'$/),
    }]);
  });

  it('shows a bad value safely: control characters escaped, long text cut', async () => {
    const p = await parseBytes(`site,time,COD,NH3N\nsixinhe,2023-07-15 08:00,"=HYPERLINK(""x"")\u001b[31m${'y'.repeat(500)}",0.5\n`);
    expect(p.cells).toHaveLength(1);
    expect(p.cells[0]!.value).toMatch(/^=HYPERLINK\("x"\)\\u001b\[31my+…$/);
    expect(p.cells[0]!.value.length).toBeLessThanOrEqual(80);
  });

  it('treats NDJSON and JSON values the same way', async () => {
    const p = await parseBytes([
      '{"site":"sixinhe","time":"2023-07-15 08:00","COD":"1,182","NH3N":"N/A","TP":"x"}',
      '{"site":"sixinhe","time":"2023-07-15 09:00","values":{"COD":"１８","TP":null}}',
    ].join('\n'), 'v.ndjson');
    expect(p.samples.map((s) => s.values)).toEqual([{ COD: 1182 }, { COD: 18 }]);
    expect(p.cells).toEqual([{ line: 1, param: 'TP', value: 'x', reason: expect.stringMatching(/^'TP': not a number/) }]);
    expect(p.missing).toBe(2);
  });
});

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

/** The sample tables of evaluate and query: signs, digits, units, intervals, a compact view that fits, safe text. */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { exceedanceCell, renderSamples, TABLE_COLUMNS, timeCell, valuesCell } from '../../../local/cli/sample-table.js';
import { fmt, renderTable } from '../../../local/cli/table.js';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import type { ParamId } from '../../../shared/domain/parameters.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { sampleView } from '../../../shared/domain/sample-view.js';
import { frame } from '../../../shared/parsers/hj212.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const registry = defaultRegistry();
const tmp = tempDir('bishui-table-');

function view(site: string, values: Partial<Record<ParamId, number>>, extra: Partial<Sample> = {}) {
  const sample: Sample = {
    site, registered: registry.find(site) !== undefined, time: Date.parse('2023-07-15T08:00:00+08:00'),
    values, flags: {}, source: { file: 'a.csv', line: 2 }, ...extra,
  };
  return sampleView(sample, evaluateSample(sample, registry.resolve(site)));
}

describe('exceedances', () => {
  it('a lower-bound limit reads with < (DO 2.5<3), an upper one with > and how far over', () => {
    const v = view('sixinhe', { DO: 2.5, COD: 31, pH: 9.5 });
    expect(v.exceedances.map(exceedanceCell)).toEqual(['pH 9.5>9', 'DO 2.5<3', 'COD 31>30 +3.3%']);
    expect(view('sixinhe', { pH: 5.5 }).exceedances.map(exceedanceCell)).toEqual(['pH 5.5<6']);
  });

  it('the compact view lists the worst first', () => {
    const out = renderSamples([view('sixinhe', { COD: 31, NH3N: 4, TP: 0.35 })]);
    expect(out).toMatch(/NH3N 4>1\.5 \+167%, TP 0\.35>0\.3 \+17%, COD 31>30 \+3\.3%/);
  });
});

describe('numbers', () => {
  it.each([
    [0.00004, '0.00004'], [0.000123456, '0.0001235'], [12345.6, '12346'], [2.3456, '2.346'], [31, '31'], [0, '0'], [-0.5, '-0.5'], [1e-7, '1e-7'],
  ])('%d prints as %s: significant digits, never a non-zero value as 0', (n, text) => {
    expect(fmt(n)).toBe(text);
  });

  it('Hg 0.00004 prints as Hg=0.00004, with flags and below-detection values marked', () => {
    const v = view('sixinhe', { Hg: 0.00004, Cd: 0.001, NH3N: 0.8 }, { flags: { NH3N: 'F' }, belowDetection: { Cd: true } });
    expect(valuesCell(v)).toBe('NH3N=0.8(F) Hg=0.00004 Cd<0.001');
  });

  it('a value in another unit than mg/L carries its unit', () => {
    expect(valuesCell(view('sixinhe', { flow: 10, temp: 25.5, COD: 20 }))).toBe('COD=20 temp=25.5 °C flow=10 L/s');
  });
});

describe('times', () => {
  it('an HJ 212 daily and an hourly value at 00:00 read differently', () => {
    expect(timeCell({ time: '2023-07-15T00:00:00+08:00', interval: 'day' })).toBe('2023-07-15 (day)');
    expect(timeCell({ time: '2023-07-15T00:00:00+08:00', interval: 'hour' })).toBe('2023-07-15 00:00 (hour)');
    expect(timeCell({ time: '2023-07-15T08:00:30+08:00', interval: 'rtd' })).toBe('2023-07-15 08:00:30 (rtd)');
    expect(timeCell({ time: '2023-07-15T08:00:00+08:00' })).toBe('2023-07-15 08:00');
  });
});

describe('the compact view', () => {
  const everything: Partial<Record<ParamId, number>> = {
    pH: 10, DO: 1, CODMn: 16, COD: 45, BOD5: 11, NH3N: 2.5, TP: 0.5, Cu: 1.5, Zn: 2.5, F: 1.6, Se: 0.03, As: 0.11,
    Hg: 0.002, Cd: 0.011, Cr6: 0.11, Pb: 0.11, CN: 0.3, phenol: 0.2, oil: 1.1, LAS: 0.4, S2: 1.1,
  };
  const rows = [
    view('sixinhe', everything),
    view('一个名字非常长的未登记的监测断面（自动站）东沟桥', everything),
    view('xiaomeihe', { NH3N: 0.5 }),
  ];

  it(`keeps every row within ${TABLE_COLUMNS} columns, however many exceedances and however long the name`, () => {
    const out = renderSamples(rows);
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(TABLE_COLUMNS);
    expect(out).toMatch(/\+\d+ more/);
    expect(out.split('\n')[0]).toMatch(/^site\s+time\s+grade\s+ok\s+CWQI\s+exceedances/);
  });

  it('--wide shows every column: target, main pollutants, all exceedances, values with units, source', () => {
    const out = renderSamples(rows, { wide: true });
    expect(out.split('\n')[0]).toMatch(/site\s+time\s+grade\s+target\s+ok\s+CWQI\s+main pollutants\s+exceedances\s+values \(mg\/L unless marked\)\s+source/);
    expect(out).toMatch(/S2 1\.1>0\.5 \+120%/);
    expect(out).toMatch(/a\.csv:2/);
  });
});

describe('text from files never reaches the terminal raw', () => {
  it('escape sequences, carriage returns and bidi overrides in a site name or value are shown escaped', () => {
    const evil = view('\u001b[31m红\u001b[0m\r东沟桥\u202e', { COD: 45 }, { unknown: { 'x\u001b]0;title\u0007': 'a\rb' } });
    for (const wide of [false, true]) {
      const out = renderSamples([evil], { wide });
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(out).toContain('\\u001b[31m红');
    }
    expect(renderTable(['a'], [['x\u0008y']])).toContain('x\\u0008y');
  });

  it('evaluate prints a rejected row that quotes a control character escaped', async () => {
    const f = tmp.write('evil.csv', 'site,time,COD\nsixinhe,2023-07-15 08:00,\u001b[2J\n');
    const r = await runCli('evaluate', f);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('\\u001b[2J');
  });
});

describe('through evaluate', () => {
  it('a flow converted from m³/h prints in L/s, with its unit', async () => {
    const f = tmp.write('flow.csv', 'site,time,流量(m3/h),COD\nhanhai-stp,2023-07-15 08:00,36,20\n');
    const r = await runCli('evaluate', f, '--wide');
    expect(r.stdout).toMatch(/COD=20 flow=10 L\/s/);
  });

  it('HJ 212 daily and hourly packets for the same midnight show their interval', async () => {
    const packet = (cn: string) => frame(`QN=20230716000000000;ST=21;CN=${cn};PW=123456;MN=3715000SXH0001;Flag=4;CP=&&DataTime=20230715000000;w01018-Avg=20,w01018-Flag=N&&`);
    const f = tmp.write('station.log', `${packet('2031')}\n${packet('2061')}\n`);
    const r = await runCli('evaluate', f);
    expect(r.stdout).toMatch(/sixinhe\s+2023-07-15 \(day\)/);
    expect(r.stdout).toMatch(/sixinhe\s+2023-07-15 00:00 \(hour\)/);
  });
});

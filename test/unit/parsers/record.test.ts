/**
 * One record becomes a sample, its dropped cells, or a rejection with every reason (record.ts),
 * built cell by cell as every reader hands a record over: values in the catalogue's units, what is
 * missing counted, what cannot be kept reported with its line, column and value.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import type { ParamId } from '../../../shared/domain/parameters.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { DEFAULT_ZONE } from '../../../shared/domain/time.js';
import { MAX_CELL_CHARS, MAX_SITE_NAME_CHARS } from '../../../shared/limits.js';
import type { RecordContext } from '../../../shared/parsers/record.js';
import { earliestTime, FUTURE_TOLERANCE_MS, parseRecordTime, SampleBuilder, shownValue } from '../../../shared/parsers/record.js';
import type { CellFault } from '../../../shared/parsers/types.js';
import { parseBytes, shanghai } from '../../helpers/parse.js';

const NOW = shanghai('2024-01-01 00:00');

function context(extra: Partial<RecordContext> = {}): RecordContext {
  return { file: 'f.csv', registry: defaultRegistry(), zone: DEFAULT_ZONE, notAfter: NOW, ...extra };
}

type Cell = [param: ParamId, raw: string | number | null | undefined, factor?: number, line?: number];

interface Options {
  site?: string | undefined;
  time?: string | number | undefined;
  flags?: Partial<Record<ParamId, string>>;
  unknown?: Record<string, string | number>;
  line?: number;
  sheet?: string;
  faults?: CellFault[];
  ctx?: RecordContext;
  builder?: SampleBuilder;
}

/** Builds one record: its cells (label `column 'P'`), then its flags, then its site and time (given as undefined: none). */
function build(cells: readonly Cell[], o: Options = {}) {
  const b = o.builder ?? new SampleBuilder(o.ctx ?? context());
  b.begin(o.line ?? 7, o.sheet, o.faults);
  for (const [param, raw, factor = 1, at] of cells) b.cell(param, factor, raw, `column '${param}'`, at);
  for (const p in o.flags ?? {}) b.flag(p as ParamId, o.flags![p as ParamId] as string);
  const result = b.end('site' in o ? o.site : '赵牛河断面', 'time' in o ? o.time : '2023-07-15 08:00', o.unknown);
  return { result, faults: b.faults, missing: b.missing, builder: b };
}

function sampleOf(r: Sample | string): Sample {
  if (typeof r === 'string') throw new Error(`rejected: ${r}`);
  return r;
}

describe('values', () => {
  it('keeps each value in the catalogue unit: the column unit factor applies on every reading path', () => {
    const { result } = build([
      ['Hg', '0.04', 0.001], ['COD', '1,182', 0.5], ['TP', '0.30000000000000004', 10], ['NH3N', '１．５', 2], ['TN', '0.5L', 0.1], ['F', 3, 2],
    ]);
    const s = sampleOf(result);
    expect(s.values.Hg).toBeCloseTo(0.00004, 12);
    expect(s.values).toMatchObject({ COD: 591, NH3N: 3, F: 6 });
    expect(s.values.TP).toBeCloseTo(3, 12);
    expect(s.values.TN).toBeCloseTo(0.05, 12);
    expect(s.belowDetection).toEqual({ TN: true });
  });

  it('reads a decimal of more than 15 digits as Number() does', () => {
    const s = sampleOf(build([['TP', '0.30000000000000004'], ['COD', '12345678901234567']]).result);
    expect(s.values).toEqual({ TP: 0.30000000000000004, COD: 12345678901234567 });
  });

  it('a blank cell or a missing marker has no value and is counted, per record', () => {
    const b = new SampleBuilder(context());
    const first = build([['COD', ''], ['NH3N', '--'], ['TP', '缺测'], ['TN', '1.2'], ['F', null]], { builder: b });
    expect(sampleOf(first.result).values).toEqual({ TN: 1.2 });
    expect(first.missing).toBe(4);
    const second = build([['COD', '20'], ['TP', '']], { builder: b });
    expect(sampleOf(second.result).values).toEqual({ COD: 20 });
    expect(second.missing).toBe(1);
  });

  it('a below-detection value with its limit is kept at the limit and marked; without one it is flagged ND, no number invented', () => {
    const s = sampleOf(build([['NH3N', '<0.02'], ['Hg', 'ND']]).result);
    expect(s.values).toEqual({ NH3N: 0.02 });
    expect(s.belowDetection).toEqual({ NH3N: true });
    expect(s.flags).toEqual({ Hg: 'ND' });
  });

  it('a record whose only reading is ND is still a sample', () => {
    const s = sampleOf(build([['Hg', '未检出']]).result);
    expect(s.values).toEqual({});
    expect(s.flags).toEqual({ Hg: 'ND' });
    expect(s.belowDetection).toBeUndefined();
  });

  it('a sample of plain readings carries no below-detection marks and no unknown values', () => {
    const s = sampleOf(build([['COD', '20']]).result);
    expect(s).not.toHaveProperty('belowDetection');
    expect(s).not.toHaveProperty('unknown');
  });
});

describe('cells that cannot be kept', () => {
  it('a text that is no number is dropped and reported with its line, column, value and what was expected; the rest stays', () => {
    const { result, faults } = build([['COD', 'abc'], ['NH3N', '0.5']], { line: 12 });
    expect(sampleOf(result).values).toEqual({ NH3N: 0.5 });
    expect(faults).toEqual([{
      line: 12, param: 'COD', value: 'abc',
      reason: "column 'COD': not a number (expected a number such as 0.52 or 1,182, a below-detection form such as 0.01L, or a missing marker such as --)",
    }]);
  });

  it('a cell on a line of its own (a long table row) is reported on that line, with the workbook sheet', () => {
    const { result, faults } = build([['COD', 'abc', 1, 31], ['NH3N', '-2'], ['TP', '0.1']], { line: 30, sheet: '七月' });
    expect(sampleOf(result).source).toEqual({ file: 'f.csv', line: 30, sheet: '七月' });
    expect(faults).toEqual([
      { line: 31, sheet: '七月', param: 'COD', value: 'abc', reason: expect.stringMatching(/^column 'COD': not a number/) },
      { line: 30, sheet: '七月', param: 'NH3N', value: '-2', reason: "column 'NH3N': NH3N cannot be negative, got -2" },
    ]);
  });

  it('an implausible value is dropped whichever way it was written', () => {
    const { faults } = build([['pH', '15'], ['pH', '1,500'], ['DO', 31], ['NH3N', '-0.30000000000000004'], ['TP', '0.1']]);
    expect(faults?.map((f) => [f.value, f.reason])).toEqual([
      ['15', "column 'pH': pH must be between 0 and 14, got 15"],
      ['1,500', "column 'pH': pH must be between 0 and 14, got 1500"],
      ['31', "column 'DO': DO above 30 mg/L is not physically plausible, got 31"],
      ['-0.30000000000000004', "column 'NH3N': NH3N cannot be negative, got -0.30000000000000004"],
    ]);
  });

  it(`a cell over ${MAX_CELL_CHARS} characters is dropped as too long, shown cut; one of exactly ${MAX_CELL_CHARS} is read`, () => {
    const long = '9'.repeat(MAX_CELL_CHARS + 1);
    const { faults } = build([['COD', long], ['TP', ` ${'0'.repeat(MAX_CELL_CHARS - 5)}0.1`], ['NH3N', '0.5']]);
    expect(faults).toEqual([{ line: 7, param: 'COD', value: `${'9'.repeat(79)}…`, reason: `column 'COD': longer than ${MAX_CELL_CHARS} characters` }]);
    // Exactly at the bound: read as any other text (here not a number).
    const at = build([['COD', `x${'9'.repeat(MAX_CELL_CHARS - 1)}`], ['NH3N', '0.5']]).faults;
    expect(at?.[0]?.reason).toMatch(/^column 'COD': not a number/);
  });

  it('"Infinity" written in a cell is not a number, and a JSON number beyond a double (1e999) is dropped, shown as Infinity', async () => {
    const { faults } = build([['COD', 'Infinity'], ['NH3N', '-Infinity'], ['TP', '0.1']]);
    expect(faults?.map((f) => [f.value, f.reason])).toEqual([
      ['Infinity', expect.stringMatching(/^column 'COD': not a number \(/)],
      ['-Infinity', expect.stringMatching(/^column 'NH3N': not a number \(/)],
    ]);
    const p = await parseBytes('{"site":"sixinhe","time":"2023-07-15 08:00","COD":1e999,"TP":0.1}\n', 'v.ndjson');
    expect(p.samples.map((x) => x.values)).toEqual([{ TP: 0.1 }]);
    expect(p.cells).toEqual([{ line: 1, param: 'COD', value: 'Infinity', reason: expect.stringMatching(/^'COD': not a number \(/) }]);
  });

  it('a fault in a text file names no sheet', () => {
    const { faults } = build([['COD', 'abc'], ['TP', '0.1']], { line: 4 });
    expect(faults).toStrictEqual([{ line: 4, param: 'COD', value: 'abc', reason: expect.stringMatching(/^column 'COD': not a number/) }]);
  });

  it('faults the reader found before (a unit it cannot convert) come first; the ones given are not changed', () => {
    const given: CellFault[] = [{ line: 7, param: 'TP', value: '3', reason: "'TP': unit 'ppm' cannot be converted" }];
    const { result, faults } = build([['COD', 'abc'], ['NH3N', '0.5']], { faults: given });
    expect(typeof result).toBe('object');
    expect(faults?.map((f) => f.param)).toEqual(['TP', 'COD']);
    expect(given).toHaveLength(1);
  });

  it('a record without faults has none, even after one with faults', () => {
    const b = new SampleBuilder(context());
    expect(build([['COD', 'abc'], ['TP', '0.1']], { builder: b }).faults).toHaveLength(1);
    expect(build([['COD', '20']], { builder: b }).faults).toBeUndefined();
  });
});

describe('flags', () => {
  it('a flag is kept trimmed; a blank flag is none; a value that is ND keeps its ND', () => {
    const s = sampleOf(build([['COD', '20'], ['NH3N', 'ND'], ['TP', '0.1']], { flags: { COD: ' M ', NH3N: 'N', TP: '  ' } }).result);
    expect(s.flags).toEqual({ COD: 'M', NH3N: 'ND' });
  });

  it('flags start afresh with each record', () => {
    const b = new SampleBuilder(context());
    build([['COD', '20']], { builder: b, flags: { COD: 'T' } });
    expect(sampleOf(build([['COD', '21']], { builder: b }).result).flags).toEqual({});
  });
});

describe('the site', () => {
  it('is resolved: a registered name to its id, any other name kept as written, unregistered', () => {
    expect(sampleOf(build([['COD', '20']], { site: ' 赵牛河断面 ' }).result)).toMatchObject({ site: 'zhaoniuhe', registered: true });
    expect(sampleOf(build([['COD', '20']], { site: '东沟桥' }).result)).toMatchObject({ site: '东沟桥', registered: false });
  });

  it('a record that names none takes the site the file names; without one it is rejected', () => {
    const ctx = context({ fileSite: '小湄河' });
    expect(sampleOf(build([['COD', '20']], { site: '  ', ctx }).result).site).toBe('xiaomeihe');
    expect(sampleOf(build([['COD', '20']], { site: undefined, ctx }).result).site).toBe('xiaomeihe');
    expect(build([['COD', '20']], { site: '' }).result).toBe('site is missing');
  });

  it(`a name of ${MAX_SITE_NAME_CHARS} characters is a site; one more rejects the record; a control character too`, () => {
    const at = '河'.repeat(MAX_SITE_NAME_CHARS);
    expect(sampleOf(build([['COD', '20']], { site: at }).result).site).toBe(at);
    expect(build([['COD', '20']], { site: `${at}河` }).result).toMatch(new RegExp(`^site name is longer than ${MAX_SITE_NAME_CHARS} characters \\(${MAX_SITE_NAME_CHARS + 1}\\): '河+…'$`));
    expect(build([['COD', '20']], { site: '赵牛河\t断面' }).result).toBe("site name holds control characters: '赵牛河\\t断面'");
  });

  it('many sites in turn each resolve to themselves (more than the builder remembers)', () => {
    const b = new SampleBuilder(context());
    const names = Array.from({ length: 20 }, (_, i) => `站${i % 11}`);
    for (const name of [...names, '赵牛河断面', '站 bad\u0007', ...names, '站 bad\u0007']) {
      const r = build([['COD', '20']], { builder: b, site: name }).result;
      if (name.includes('\u0007')) expect(r).toBe("site name holds control characters: '站 bad\\u0007'");
      else expect(sampleOf(r).site).toBe(name === '赵牛河断面' ? 'zhaoniuhe' : name);
    }
  });
});

describe('the time', () => {
  it('is read in the context zone, and the same text in another zone is another instant', () => {
    const b1 = build([['COD', '20']], { time: '2023-07-15 08:00' }).result;
    const b2 = build([['COD', '20']], { time: '2023-07-15 08:00', ctx: context({ zone: 'UTC' }) }).result;
    expect(sampleOf(b1).time).toBe(shanghai('2023-07-15 08:00'));
    expect(sampleOf(b2).time).toBe(Date.UTC(2023, 6, 15, 8));
    expect(parseRecordTime('2023-07-15 08:00', 'Asia/Tokyo')).toBe(Date.UTC(2023, 6, 14, 23));
  });

  it('a JSON number of 14 digits is a compact local time; a smaller one is epoch milliseconds', () => {
    expect(parseRecordTime(20230715080000, DEFAULT_ZONE)).toBe(shanghai('2023-07-15 08:00'));
    expect(parseRecordTime(1689379200000, DEFAULT_ZONE)).toBe(1689379200000);
    expect(parseRecordTime(1, DEFAULT_ZONE)).toBe(1);
    expect(parseRecordTime(99999999999999, DEFAULT_ZONE)).toBeNull(); // 9999-99-99: no date
  });

  it('every 14-digit number is read as a compact time, the smallest too; a number of 15 digits is milliseconds again', () => {
    expect(parseRecordTime(1e13, DEFAULT_ZONE)).toBeNull(); // 1000-00-00 00:00:00: no date
    expect(parseRecordTime(1e14, DEFAULT_ZONE)).toBe(1e14);
    expect(parseRecordTime(202307150800001, DEFAULT_ZONE)).toBe(202307150800001);
    expect(parseRecordTime(20230715080000.5, DEFAULT_ZONE)).toBe(20230715080000.5); // not an integer: milliseconds
  });

  it('zero, a negative or a non-finite number is no time', () => {
    for (const t of [0, -1689379200000, Infinity, NaN]) expect(parseRecordTime(t, DEFAULT_ZONE)).toBeNull();
    expect(build([['COD', '20']], { time: 0 }).result).toBe("time '0' is not a date and time (expected e.g. 2023-07-15 08:00:00, 2023/7/15 8:00, 20230715080000 or ISO 8601)");
  });

  it('a missing or blank time rejects the record; so does one over the cell bound, shown cut', () => {
    expect(build([['COD', '20']], { time: undefined }).result).toBe('time is missing');
    expect(build([['COD', '20']], { time: ' ' }).result).toBe('time is missing');
    expect(build([['COD', '20']], { time: `2023-07-15${' '.repeat(MAX_CELL_CHARS)}` }).result)
      .toMatch(new RegExp(`^time is longer than ${MAX_CELL_CHARS} characters: '2023-07-15 +…'$`));
  });

  it(`a time of exactly ${MAX_CELL_CHARS} characters is read (and found no date), not refused as too long`, () => {
    expect(build([['COD', '20']], { time: `x${'1'.repeat(MAX_CELL_CHARS - 1)}` }).result).toMatch(/^time 'x1+…' is not a date and time/);
  });

  it('a station clock up to ten minutes ahead of this machine is tolerated; more lies in the future', async () => {
    expect(FUTURE_TOLERANCE_MS).toBe(10 * 60_000);
    const now = () => shanghai('2023-07-15 08:00');
    const p = await parseBytes('site,time,COD\nsixinhe,2023-07-15 08:10,20\nsixinhe,2023-07-15 08:10:01,21\n', 'f.csv', { now });
    expect(p.samples.map((x) => x.values.COD)).toEqual([20]);
    expect(p.rejected).toEqual([{ line: 3, reason: "time '2023-07-15 08:10:01' lies in the future (after 2023-07-15T08:10:00+08:00)" }]);
  });

  it('up to the moment given as "now" a time is accepted; after it, it lies in the future', () => {
    const at = shanghai('2023-07-15 08:00');
    expect(sampleOf(build([['COD', '20']], { ctx: context({ notAfter: at }) }).result).time).toBe(at);
    expect(build([['COD', '20']], { ctx: context({ notAfter: at - 1 }) }).result).toBe("time '2023-07-15 08:00' lies in the future (after 2023-07-15T07:59:59.999+08:00)");
  });

  it('from 1 January of the floor year (local) a time is plausible; before it, not; the floor follows the context', () => {
    const b = new SampleBuilder(context({ minYear: 2000 }));
    expect(sampleOf(build([['COD', '20']], { builder: b, time: '2000-01-01 00:00' }).result).time).toBe(shanghai('2000-01-01 00:00'));
    expect(build([['COD', '20']], { builder: b, time: '1999-12-31 23:59' }).result).toBe("time '1999-12-31 23:59' lies before 2000: not a plausible monitoring time");
    const later = new SampleBuilder(context({ minYear: 2010 }));
    expect(build([['COD', '20']], { builder: later, time: '2005-06-01 00:00' }).result).toBe("time '2005-06-01 00:00' lies before 2010: not a plausible monitoring time");
    const utc = new SampleBuilder(context({ minYear: 2010, zone: 'UTC' }));
    expect(sampleOf(build([['COD', '20']], { builder: utc, time: '2010-01-01 00:00' }).result).time).toBe(Date.UTC(2010, 0, 1));
    const utcLate = build([['COD', '20']], { builder: utc, time: '2009-12-31 20:00' }).result; // after 1 January in Shanghai, not in UTC
    expect(utcLate).toBe("time '2009-12-31 20:00' lies before 2010: not a plausible monitoring time");
    expect(earliestTime(context())).toBe(shanghai('1970-01-01 00:00'));
    expect(earliestTime(context({ minYear: 2000 }))).toBe(shanghai('2000-01-01 00:00'));
    expect(earliestTime(context({ zone: 'UTC', minYear: 2000 }))).toBe(Date.UTC(2000, 0, 1));
    // A year before 1000 written with four digits, as the time parser reads it.
    expect(earliestTime(context({ zone: 'Etc/GMT-8', minYear: 999 }))).toBe(Date.UTC(999, 0, 1) - 8 * 3_600_000);
  });
});

describe('a record that cannot be a sample', () => {
  it('a record without any reading is rejected: "no value", or "no valid value" when its cells were dropped, naming each', () => {
    expect(build([['COD', ''], ['TP', '--']]).result).toBe('no indicator has a value');
    expect(build([['COD', 'abc'], ['TP', '-1']]).result).toBe(
      "no indicator has a valid value; column 'COD': not a number (expected a number such as 0.52 or 1,182, a below-detection form such as 0.01L, or a missing marker such as --), got 'abc'; column 'TP': TP cannot be negative, got -1, got '-1'",
    );
  });

  it('values under names bishui does not know keep a record without catalogue values; an empty set of them does not', () => {
    const s = sampleOf(build([], { unknown: { 浊度: '3.2' } }).result);
    expect(s.unknown).toEqual({ 浊度: '3.2' });
    expect(s.values).toEqual({});
    expect(build([], { unknown: {} }).result).toBe('no indicator has a value');
  });

  it('gives every reason at once: site, time and the dropped cells', () => {
    expect(build([['COD', 'abc']], { site: '', time: 'soon' }).result).toBe(
      "site is missing; time 'soon' is not a date and time (expected e.g. 2023-07-15 08:00:00, 2023/7/15 8:00, 20230715080000 or ISO 8601); column 'COD': not a number (expected a number such as 0.52 or 1,182, a below-detection form such as 0.01L, or a missing marker such as --), got 'abc'",
    );
  });
});

describe('where a sample comes from', () => {
  it('a text file line, or a workbook sheet and row', () => {
    expect(sampleOf(build([['COD', '20']], { line: 3 }).result).source).toEqual({ file: 'f.csv', line: 3 });
    expect(sampleOf(build([['COD', '20']], { line: 3, sheet: 'Sheet1' }).result).source).toEqual({ file: 'f.csv', line: 3, sheet: 'Sheet1' });
  });
});

describe('a value shown in a fault', () => {
  it('is the text as written, or the number written out', () => {
    expect(shownValue('abc')).toBe('abc');
    expect(shownValue(12.5)).toBe('12.5');
    expect(shownValue(null)).toBe('null');
    expect(shownValue(Infinity)).toBe('Infinity');
    expect(shownValue(`x${'y'.repeat(200)}`)).toBe(`x${'y'.repeat(78)}…`);
  });
});

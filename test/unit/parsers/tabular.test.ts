/**
 * The table core on rows as a reader hands them over: workbook sheets (each with its own header,
 * rows shown as `Sheet!row`), Excel serial date-times, and the same layouts as CSV.
 */
import { describe, expect, it } from 'vitest';
import { fromExcelSerial } from '../../../shared/parsers/tabular.js';
import type { TableRow } from '../../../shared/parsers/table-rows.js';
import { rowLabel } from '../../../shared/parsers/table-rows.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseRows, shanghai } from '../../helpers/parse.js';

const serialOf = (y: number, m: number, d: number, h = 0, mi = 0) =>
  (Date.UTC(y, m - 1, d, h, mi) - Date.UTC(1899, 11, 30)) / 86_400_000;

const row = (sheet: string | undefined, line: number, ...cells: string[]): TableRow =>
  (sheet === undefined ? { line, cells } : { line, sheet, cells });

describe('Excel serial date-times', () => {
  it('turns serials into wall times, dates and clocks, and leaves text alone', () => {
    expect(fromExcelSerial(String(serialOf(2023, 7, 15, 8)), 'time')).toBe('2023-07-15 08:00:00');
    expect(fromExcelSerial('45122.3333333333', 'time')).toBe('2023-07-15 08:00:00');
    expect(fromExcelSerial('45122', 'date')).toBe('2023-07-15');
    expect(fromExcelSerial('0.3541666667', 'clock')).toBe('08:30:00');
    expect(fromExcelSerial('2023/7/15 8:00', 'time')).toBe('2023/7/15 8:00');
  });
});

describe('the table core on workbook rows', () => {
  it('reads each sheet with its own header, times as serials, rows labelled Sheet!row', async () => {
    const p = await parseRows([
      row('7月', 1, '断面名称', '监测时间', '氨氮(mg/L)'),
      row('7月', 2, '赵牛河断面', String(serialOf(2023, 7, 15, 8)), '0.52'),
      row('7月', 3, '赵牛河断面', 'yesterday', '0.5'),
      row('说明', 1, '本表由平台导出'),
      row('8月', 2, '站点名称', '采样日期', '采样时间', '总磷'),
      row('8月', 3, '小湄河', String(serialOf(2023, 8, 1)), String(8.5 / 24), '0.12'),
    ], { excelSerialTimes: true });
    expect(p.samples.map((s) => [s.site, s.time, s.values, s.source])).toEqual([
      ['zhaoniuhe', shanghai('2023-07-15 08:00'), { NH3N: 0.52 }, { file: 'book.xlsx', line: 2, sheet: '7月' }],
      ['xiaomeihe', shanghai('2023-08-01 08:30'), { TP: 0.12 }, { file: 'book.xlsx', line: 3, sheet: '8月' }],
    ]);
    const rejected = p.events.filter((e) => e.type === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ line: 3, sheet: '7月' })]);
    expect(rowLabel(3, '7月')).toBe('7月!3');
  });

  it('passes over a sheet that is not data, with a warning, and rejects a workbook with none', async () => {
    const p = await parseRows([
      row('封面', 1, '站点名称', '负责人'),
      row('数据', 1, 'site', 'time', 'COD'),
      row('数据', 2, 'sixinhe', '2023-07-15 08:00', '20'),
    ]);
    expect(p.samples).toHaveLength(1);
    expect(p.warnings.join('\n')).toMatch(/sheet '封面' is not read: it is not monitoring data: no header row names/);
    const err = await parseRows([row('封面', 1, '站点名称', '负责人')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toMatch(/^holds no monitoring data: sheet '封面' is not monitoring data/);
  });

  it('reads numbers in a time column as text when the source is not Excel', async () => {
    const p = await parseRows([row(undefined, 1, 'site', 'time', 'COD'), row(undefined, 2, 'sixinhe', '45122.5', '20')]);
    expect(p.samples).toEqual([]);
    expect(p.rejected[0]!.reason).toMatch(/time '45122.5' is not a date and time/);
  });
});

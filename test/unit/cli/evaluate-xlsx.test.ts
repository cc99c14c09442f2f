/**
 * `bishui evaluate --json` on an Excel workbook as a station's clerk makes one (issue 12 item 1):
 * a merged title row naming the site, date-formatted cells and a bare date serial, a thousands
 * separator, missing markers, a bad cell, a bad time, a footer block, a second data sheet and a
 * notes sheet. Lines read `Sheet!row` in samples, rejections and warnings.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir();
/** Wall-clock time as exceljs takes it: a Date's UTC fields are what the cell shows. */
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));
let book = '';

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const a = wb.addWorksheet('赵牛河');
  a.mergeCells('A1:E1');
  a.getCell('A1').value = '赵牛河断面小时数据报表';
  a.addRow(['监测时间', '氨氮(mg/L)', '总磷(mg/L)', '化学需氧量(mg/L)', '流量']);
  a.addRow([wall(2023, 7, 15, 8), 0.52, 0.11, 24, '1,182']).getCell(1).numFmt = 'yyyy-mm-dd hh:mm';
  a.addRow([wall(2023, 7, 15, 9), { error: '#N/A' }, '--', 'abc', '5,400']).getCell(1).numFmt = 'yyyy"年"m"月"d"日" h"时"';
  a.addRow([45122.416666666664, 0.48, 0.1, 22]); // 2023-07-15 10:00 as a bare serial, no date format
  a.addRow(['yesterday', 0.5, 0.1, 20, 100]);
  a.addRow(['平均值', 0.5, 0.105, 23, '']);
  a.addRow(['最大值', 0.52, 0.11, 24, '']);
  a.addRow(['备注：数据未经审核']);
  a.addRow(['制表人：张三']);
  const b = wb.addWorksheet('小湄河');
  b.addRow(['站点', '采样日期', '采样时间', '氨氮', '总磷']);
  const r2 = b.addRow(['小湄河断面', wall(2023, 7, 16), 0.375, 0.6, 0.2]);
  r2.getCell(2).numFmt = 'yyyy/m/d';
  r2.getCell(3).numFmt = 'hh:mm';
  b.addRow(['小湄河断面', wall(2023, 7, 16), 10 / 24, 0.7, 0.25]).getCell(2).numFmt = 'yyyy/m/d';
  b.addRow(['样本数', '', '', 2, 2]);
  wb.addWorksheet('说明').addRow(['本表由自动站导出，单位 mg/L']);
  book = tmp.write('report.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
});

describe('bishui evaluate --json, an .xlsx workbook', () => {
  it('reads every data sheet, lines as Sheet!row, footers skipped, bad cells and rows named', async () => {
    const r = await runCli('evaluate', book, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // Missing: '#N/A' and '--' on 赵牛河!4, the flow cell 赵牛河!5 leaves empty. Skipped: four footer rows and 样本数.
    expect(doc.files).toEqual([{ file: 'report.xlsx', format: 'xlsx', accepted: 5, rejected: 1, skipped: 5, warnings: 1, missing: 3 }]);
    const seen = doc.samples.map((s: { site: string; time: string; values: object; source: { file: string; line: string } }) => [s.source.line, s.site, s.time, s.values]);
    expect(seen).toEqual([
      ['赵牛河!3', 'zhaoniuhe', '2023-07-15T08:00:00+08:00', { NH3N: 0.52, TP: 0.11, COD: 24, flow: 1182 }],
      ['赵牛河!4', 'zhaoniuhe', '2023-07-15T09:00:00+08:00', { flow: 5400 }],
      ['赵牛河!5', 'zhaoniuhe', '2023-07-15T10:00:00+08:00', { NH3N: 0.48, TP: 0.1, COD: 22 }],
      ['小湄河!2', 'xiaomeihe', '2023-07-16T09:00:00+08:00', { NH3N: 0.6, TP: 0.2 }],
      ['小湄河!3', 'xiaomeihe', '2023-07-16T10:00:00+08:00', { NH3N: 0.7, TP: 0.25 }],
    ]);
    for (const s of doc.samples) expect(s.source.file).toBe('report.xlsx');
    expect(doc.rejected).toEqual([
      { file: 'report.xlsx', line: '赵牛河!6', reason: expect.stringMatching(/^time 'yesterday' is not a date and time/) },
    ]);
    expect(doc.warnings).toEqual([{
      file: 'report.xlsx', line: '赵牛河!4', param: 'COD', value: 'abc',
      reason: expect.stringMatching(/^column '化学需氧量\(mg\/L\)': not a number/),
    }]);
  });

  it('the table output names the notes sheet as not read', async () => {
    const r = await runCli('evaluate', book);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/report\.xlsx: xlsx, utf-8: 5 accepted, 1 rejected/);
    expect(r.stdout).toMatch(/note: sheet '说明' is not read: it is not monitoring data/);
  });

  it('a legacy .xls is refused, asking for .xlsx or CSV', async () => {
    // The head of an OLE2 compound file whose directory names a Workbook stream, as Excel 97–2003 writes.
    const head = Buffer.alloc(512);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(head);
    const xls = tmp.write('old.xls', Buffer.concat([head, Buffer.from('Root Entry\u0000Workbook\u0000', 'utf16le')]));
    const r = await runCli('evaluate', xls, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).files).toEqual([{
      file: 'old.xls', format: null, accepted: 0, rejected: 0, skipped: 0, warnings: 0, missing: 0,
      error: expect.stringMatching(/legacy Excel file \(\.xls\).*save it from Excel as \.xlsx or CSV/),
    }]);
  });
});

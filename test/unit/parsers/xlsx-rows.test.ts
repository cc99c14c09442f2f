/**
 * `.xlsx` workbooks as stations and clerks make them, generated here with exceljs (both its
 * in-memory writer and its streaming WorkbookWriter): title rows over merged cells, date-formatted
 * cells and bare date serials, footers, several sheets, many decimals, error cells, formulas, rich
 * text, shared and inline strings. Asserts sheets, row numbers and every cell's text.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, MAX_COLUMNS } from '../../../shared/limits.js';
import { excelSerialToWallClock } from '../../../shared/parsers/excel-serial.js';
import type { TableRow } from '../../../shared/parsers/table-rows.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { cellText, numberText, xlsxRows, type XlsxBounds } from '../../../shared/parsers/xlsx-rows.js';

/** Wall-clock time as exceljs takes it: the UTC fields of a Date are what the cell shows. */
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

async function rowsOf(bytes: Uint8Array, chunk = 4096, bounds?: XlsxBounds): Promise<TableRow[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(Buffer.from(bytes.subarray(i, i + chunk)));
  const source = xlsxRows(Readable.from(parts), 'report.xlsx', bounds);
  expect(source.excelSerialTimes).toBe(true);
  const out: TableRow[] = [];
  for await (const batch of source.rows) out.push(...batch);
  return out;
}

const bySheet = (rows: TableRow[], sheet: string) => rows.filter((r) => r.sheet === sheet).map((r) => [r.line, ...r.cells]);

/** A station's monthly report: two data sheets, a notes sheet, in the in-memory writer (shared strings). */
async function stationReport(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const a = wb.addWorksheet('赵牛河');
  a.mergeCells('A1:E1');
  a.getCell('A1').value = '赵牛河断面小时数据报表';
  a.getCell('A2').value = { richText: [{ text: '站点名称：', font: { bold: true } }, { text: '赵牛河断面' }] };
  a.addRow(['监测时间', '氨氮(mg/L)', '总磷(mg/L)', 'COD', '备注']);
  const t1 = a.addRow([wall(2023, 7, 15, 8), 0.1 + 0.2, 0.123456789012345678, 24, '']);
  t1.getCell(1).numFmt = 'yyyy-mm-dd hh:mm';
  const t2 = a.addRow([wall(2023, 7, 15, 9), { error: '#N/A' }, { formula: 'B4*2', result: 0.6 }, { error: '#DIV/0!' }, '停运']);
  t2.getCell(1).numFmt = 'yyyy"年"m"月"d"日" h"时"';
  a.addRow([45122.416666666664, 1e-7, 1234567.5, -0.5, '']); // a bare serial, no date format: a number
  a.addRow([]);
  a.addRow(['平均值', { formula: 'AVERAGE(B4:B6)', result: 0.15 }, '', '', '']);
  a.addRow(['备注：数据未经审核', '', '', '', '']);
  const b = wb.addWorksheet('小湄河');
  b.addRow(['站点', '采样日期', '采样时间', '氨氮']);
  const r = b.addRow(['小湄河断面', wall(2023, 7, 16), 0.375, 0.52]);
  r.getCell(2).numFmt = 'yyyy/m/d';
  r.getCell(3).numFmt = 'hh:mm';
  // A formula's result is a bare number even where the cell shows a clock: the serial, for the core.
  b.addRow(['小湄河断面', wall(2023, 7, 16), { formula: 'C2*2', result: 0.75 }, true]).getCell(2).numFmt = 'yyyy/m/d';
  const notes = wb.addWorksheet('说明');
  notes.addRow(['本表由自动站导出']);
  notes.addRow(['单位：mg/L']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx rows', () => {
  it('reads every sheet in order: merged titles, rich text, dates as local wall clock, numbers as Excel shows them, errors, formulas, footers', async () => {
    const rows = await rowsOf(await stationReport());
    expect([...new Set(rows.map((r) => r.sheet))]).toEqual(['赵牛河', '小湄河', '说明']);
    expect(bySheet(rows, '赵牛河')).toEqual([
      [1, '赵牛河断面小时数据报表'], // merged A1:E1: the value in the top-left cell only
      [2, '站点名称：赵牛河断面'],
      [3, '监测时间', '氨氮(mg/L)', '总磷(mg/L)', 'COD', '备注'],
      [4, '2023-07-15 08:00:00', '0.3', '0.123456789012346', '24'],
      [5, '2023-07-15 09:00:00', '#N/A', '0.6', '#DIV/0!', '停运'],
      [6, '45122.4166666667', '1e-7', '1234567.5', '-0.5'],
      [8, '平均值', '0.15'],
      [9, '备注：数据未经审核'],
    ]);
    expect(bySheet(rows, '小湄河')).toEqual([
      [1, '站点', '采样日期', '采样时间', '氨氮'],
      [2, '小湄河断面', '2023-07-16 00:00:00', '09:00:00', '0.52'],
      [3, '小湄河断面', '2023-07-16 00:00:00', '0.75', 'TRUE'],
    ]);
    expect(bySheet(rows, '说明')).toEqual([[1, '本表由自动站导出'], [2, '单位：mg/L']]);
  });

  it('reads what the streaming WorkbookWriter writes (sheets before shared strings and styles, inline or shared strings)', async () => {
    for (const useSharedStrings of [true, false]) {
      const chunks: Buffer[] = [];
      const sink = new (await import('node:stream')).Writable({ write(c: Buffer, _e, done) { chunks.push(c); done(); } });
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings, useStyles: true });
      const first = wb.addWorksheet('数据');
      first.addRow(['断面名称', '监测时间', '氨氮']).commit();
      for (let i = 0; i < 500; i++) {
        const row = first.addRow(['赵牛河断面', wall(2023, 7, 1, i % 24), i / 1000]);
        row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
        row.commit();
      }
      first.commit();
      const second = wb.addWorksheet('汇总');
      second.addRow(['平均值', 0.25]).commit();
      second.commit();
      await wb.commit();
      const rows = await rowsOf(Buffer.concat(chunks), 1000);
      expect(rows).toHaveLength(502);
      expect(rows[0]).toEqual({ line: 1, sheet: '数据', cells: ['断面名称', '监测时间', '氨氮'] });
      expect(rows[500]).toEqual({ line: 501, sheet: '数据', cells: ['赵牛河断面', '2023-07-01 19:00:00', '0.499'] });
      expect(rows[501]).toEqual({ line: 1, sheet: '汇总', cells: ['平均值', '0.25'] });
    }
  });

  it('reads the sheets in tab order, whatever their order in the zip, by their names however the workbook points at them', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('甲').addRow(['a']);
    wb.addWorksheet('乙').addRow(['b']);
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    // The clerk drags 乙 to the front: workbook.xml lists it first, its part is still sheet2.xml.
    const book = await zip.file('xl/workbook.xml')!.async('string');
    const [first, second] = book.match(/<sheet [^>]*\/>/g)!;
    zip.file('xl/workbook.xml', book.replace(`${first}${second}`, `${second}${first}`));
    const reordered = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect((await rowsOf(reordered)).map((r) => [r.sheet, ...r.cells])).toEqual([['乙', 'b'], ['甲', 'a']]);
    // openpyxl's absolute relationship targets
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    expect(rels).toContain('Target="worksheets/sheet1.xml"');
    zip.file('xl/_rels/workbook.xml.rels', rels.replaceAll('Target="worksheets/', 'Target="/xl/worksheets/'));
    const absolute = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect((await rowsOf(absolute)).map((r) => [r.sheet, ...r.cells])).toEqual([['乙', 'b'], ['甲', 'a']]);
  });

  it(`a row past ${MAX_COLUMNS} columns and a cell over ${MAX_CELL_CHARS} characters are handed over as they are (the row code judges them)`, async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell(1, 1).value = 'ok';
    ws.getCell(2, MAX_COLUMNS + 1).value = 'far';
    ws.getCell(3, 2).value = 'x'.repeat(MAX_CELL_CHARS + 1);
    const rows = await rowsOf(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => [r.line, r.cells.length, r.cells.at(-1)?.length, r.error])).toEqual([
      [1, 1, 2, undefined], [2, MAX_COLUMNS + 1, 3, undefined], [3, 2, MAX_CELL_CHARS + 1, undefined],
    ]);
  });

  it('stops at the bound on inflated bytes (a zip bomb) and at the bound on shared strings', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    for (let i = 0; i < 20_000; i++) ws.addRow([`site ${i}`, i, 0.5]); // about 1.5 MB of sheet XML, a few kB zipped
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(400_000);
    expect(await rowsOf(bytes, 4096, { inflatedBytes: 4_000_000, sharedStringsBytes: 2_000_000 })).toHaveLength(20_000);
    await expect(rowsOf(bytes, 4096, { inflatedBytes: 1_000_000, sharedStringsBytes: 2_000_000 }))
      .rejects.toThrow(/report\.xlsx: the workbook inflates to more than 1000000 bytes/);
    await expect(rowsOf(bytes, 4096, { inflatedBytes: 4_000_000, sharedStringsBytes: 100_000 }))
      .rejects.toThrow(/shared strings take more than 100000 bytes/);
  });

  it('a damaged workbook is a file rejection naming the file', async () => {
    const good = await stationReport();
    // Damage inside a sheet's deflate data (unzipper reports it on the zip, not on the entry).
    for (const at of [1500, 2500, 4000]) {
      const damaged = Buffer.from(good);
      for (let i = at; i < at + 40; i++) damaged[i] = (damaged[i] as number) ^ 0x5a;
      await expect(rowsOf(damaged)).rejects.toBeInstanceOf(FileRejectedError);
    }
    await expect(rowsOf(gzipSync(good))).rejects.toThrow(/report\.xlsx/);
  });
});

describe('cell text', () => {
  it('numbers: the shortest decimal to Excel\'s 15 digits', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1 / 3)).toBe('0.333333333333333');
    expect(numberText(20230715080000)).toBe('20230715080000');
    expect(numberText(-0.000123)).toBe('-0.000123');
    expect(numberText(Infinity)).toBe('#NUM!');
  });

  it('values of every kind exceljs returns', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('  a ')).toBe('  a ');
    expect(cellText(false)).toBe('FALSE');
    expect(cellText(wall(2023, 7, 15, 8, 30))).toBe('2023-07-15 08:30:00');
    expect(cellText({ richText: [{ text: '氨' }, { text: '氮' }] })).toBe('氨氮');
    expect(cellText({ error: '#VALUE!' })).toBe('#VALUE!');
    expect(cellText({ formula: 'A1', result: 'text' })).toBe('text');
    expect(cellText({ sharedFormula: 'A1', result: 2.5 })).toBe('2.5');
    expect(cellText({ formula: 'A1/0', result: Number.NaN })).toBe('#N/A');
    expect(cellText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
  });

});

describe('Excel serial → wall clock', () => {
  it.each([
    [45122, '2023-07-15 00:00:00'],
    [45122.333333333336, '2023-07-15 08:00:00'],
    [45122.99999999, '2023-07-16 00:00:00'], // rounds to the nearest second, into the next day
    [25569, '1970-01-01 00:00:00'],
    [61, '1900-03-01 00:00:00'],
    [59, '1900-02-28 00:00:00'], // before the day that never was: one day on from 1899-12-31
    [1, '1900-01-01 00:00:00'],
    [0.375, '09:00:00'], // a clock alone
    [2958465.5, '9999-12-31 12:00:00'],
  ])('%s → %s', (serial, text) => {
    expect(excelSerialToWallClock(serial)).toBe(text);
  });

  it('29 February 1900, negative, past 9999 and non-finite serials are no date', () => {
    expect([60, -1, 2958466, Number.NaN, Infinity].map((s) => excelSerialToWallClock(s))).toEqual([null, null, null, null, null]);
  });

  it('the 1904 date system counts from 1904-01-01', () => {
    expect(excelSerialToWallClock(43660.5, true)).toBe('2023-07-15 12:00:00');
    expect(excelSerialToWallClock(1, true)).toBe('1904-01-02 00:00:00');
  });
});

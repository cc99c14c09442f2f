/**
 * Office files told apart by their heads: an .xlsx (read as a table) from Word, PowerPoint and plain
 * ZIP archives; a legacy .xls refused with a message in Chinese and English that says what to do.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { officeKind, officeRefusal } from '../../../shared/parsers/office.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseBytes } from '../../helpers/parse.js';

/** The local headers of a ZIP of empty stored entries: all a head shows of one. */
function zipOf(names: readonly string[]): Buffer {
  return Buffer.concat(names.map((name) => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    return Buffer.concat([header, Buffer.from(name)]);
  }));
}

/** An OLE2 compound file's signature and, in its directory, a stream named in UTF-16. */
function ole2With(stream: string): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const dir = Buffer.alloc(128);
  Buffer.from(`${stream}\u0000`, 'utf16le').copy(dir);
  return Buffer.concat([header, Buffer.from('Root Entry\u0000', 'utf16le'), dir]);
}

describe('office files', () => {
  it('an .xlsx written by Excel (workbook first) or by exceljs streaming (a sheet first)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow(['a', 1]);
    expect(officeKind(Buffer.from(await wb.xlsx.writeBuffer()))).toBe('xlsx');
    expect(officeKind(zipOf(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml']))).toBe('xlsx');
    expect(officeKind(zipOf(['xl/worksheets/sheet1.xml']))).toBe('xlsx');
    expect(officeRefusal('xlsx')).toBeUndefined();
  });

  it('Word, PowerPoint and other ZIP archives are not workbooks', () => {
    expect(officeKind(zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']))).toBe('docx');
    expect(officeKind(zipOf(['[Content_Types].xml', 'ppt/presentation.xml']))).toBe('pptx');
    expect(officeKind(zipOf(['data/export.csv']))).toBe('zip');
    expect(officeKind(Buffer.from('断面名称,监测时间\n'))).toBeUndefined();
  });

  it('a legacy .xls (OLE2 with a Workbook or Book stream) apart from other old Office files', () => {
    expect(officeKind(ole2With('Workbook'))).toBe('xls');
    expect(officeKind(ole2With('Book'))).toBe('xls');
    expect(officeKind(ole2With('WordDocument'))).toBe('ole2');
  });

  it.each([
    [ole2With('Workbook'), 'report.xls', /^is a legacy Excel file \(\.xls\).*save it from Excel as \.xlsx or CSV/, /旧版 Excel 文件（\.xls）.*另存为 \.xlsx 或 CSV/],
    [zipOf(['word/document.xml']), 'memo.docx', /^is a Word document, not monitoring data/, /Word 文档/],
    [zipOf(['data/export.csv']), 'export.zip', /^is a ZIP archive: unpack it/, /ZIP 压缩包/],
    [ole2With('WordDocument'), 'old.doc', /legacy Office document/, /旧版 Office 文档/],
  ])('%#: %s is refused as a whole, saying what to do in English and Chinese', async (bytes, name, reason, reasonZh) => {
    const err = await parseBytes(bytes, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toMatch(reason);
    expect((err as FileRejectedError).reasonZh).toMatch(reasonZh);
  });
});

/**
 * Office files told apart by their first bytes: an Excel workbook (.xlsx, read by xlsx-rows.ts),
 * a legacy Excel file (.xls, refused with a way out), other Office documents and plain ZIP archives.
 *
 * An .xlsx is a ZIP whose entries' names stand uncompressed in their local headers, so the head of
 * the file shows them: `[Content_Types].xml` and `xl/workbook.xml` (or, as exceljs's streaming
 * writer orders them, a sheet `xl/worksheets/…` first). A legacy .xls is an OLE2 compound file
 * (D0 CF 11 E0) whose directory names its streams in UTF-16: `Workbook` (Excel 97+) or `Book` (5.0).
 */

export type OfficeKind = 'xlsx' | 'xls' | 'docx' | 'pptx' | 'ole2' | 'zip';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(head: Uint8Array, sig: readonly number[]): boolean {
  return head.length >= sig.length && sig.every((b, i) => head[i] === b);
}

function has(head: Uint8Array, text: string, encoding: 'latin1' | 'utf16le' = 'latin1'): boolean {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes(Buffer.from(text, encoding));
}

/** What Office file (or ZIP) `head` starts, or undefined for anything else. */
export function officeKind(head: Uint8Array): OfficeKind | undefined {
  if (startsWith(head, ZIP)) {
    if (has(head, 'xl/workbook.xml') || has(head, 'xl/worksheets/') || (has(head, '[Content_Types].xml') && has(head, 'xl/'))) return 'xlsx';
    if (has(head, 'word/')) return 'docx';
    if (has(head, 'ppt/')) return 'pptx';
    return 'zip';
  }
  if (startsWith(head, OLE2)) {
    if (has(head, 'Workbook\u0000', 'utf16le') || has(head, 'Book\u0000', 'utf16le')) return 'xls';
    return 'ole2';
  }
  return undefined;
}

const EXPECTED = 'expected CSV, JSON, NDJSON, an HJ 212 log or an .xlsx workbook';
const EXPECTED_ZH = '应为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿';

/** Why a file is not read: in English (the CLI, the ledger) and in Chinese (the operations notice). */
export interface Refusal {
  readonly reason: string;
  readonly reasonZh: string;
}

/** Why a file of this kind is not read; undefined for an .xlsx, which is read (xlsx-rows.ts). */
export function officeRefusal(kind: OfficeKind): Refusal | undefined {
  switch (kind) {
    case 'xlsx':
      return undefined;
    case 'xls':
      return {
        reason: 'is a legacy Excel file (.xls), which bishui cannot read: save it from Excel as .xlsx or CSV and upload it again',
        reasonZh: '是旧版 Excel 文件（.xls），无法读取：请在 Excel 中另存为 .xlsx 或 CSV 后重新上传',
      };
    case 'docx':
      return { reason: `is a Word document, not monitoring data (${EXPECTED})`, reasonZh: `是 Word 文档，不是监测数据（${EXPECTED_ZH}）` };
    case 'pptx':
      return { reason: `is a PowerPoint presentation, not monitoring data (${EXPECTED})`, reasonZh: `是 PowerPoint 演示文稿，不是监测数据（${EXPECTED_ZH}）` };
    case 'ole2':
      return {
        reason: `is a legacy Office document (.doc, .ppt or the like), not monitoring data (${EXPECTED})`,
        reasonZh: `是旧版 Office 文档（.doc/.ppt 等），不是监测数据（${EXPECTED_ZH}）`,
      };
    case 'zip':
      return { reason: `is a ZIP archive: unpack it and upload the files in it (${EXPECTED})`, reasonZh: `是 ZIP 压缩包：请解压后上传其中的文件（${EXPECTED_ZH}）` };
  }
}

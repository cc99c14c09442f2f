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

/**
 * Why a file of this kind is not read, in Chinese and English; undefined for an .xlsx, which is
 * read (by xlsx-rows.ts, once the pipeline routes workbooks there).
 */
export function officeRefusal(kind: OfficeKind): string | undefined {
  switch (kind) {
    case 'xlsx':
      return undefined;
    case 'xls':
      return `是旧版 Excel 文件（.xls），无法读取：请在 Excel 中另存为 .xlsx 或 CSV 后重新上传。 / is a legacy Excel file (.xls), which bishui cannot read: save it from Excel as .xlsx or CSV and upload it again`;
    case 'docx':
      return `是 Word 文档，不是监测数据。 / is a Word document, not monitoring data (${EXPECTED})`;
    case 'pptx':
      return `是 PowerPoint 演示文稿，不是监测数据。 / is a PowerPoint presentation, not monitoring data (${EXPECTED})`;
    case 'ole2':
      return `是旧版 Office 文档（.doc/.ppt 等），不是监测数据。 / is a legacy Office document (.doc, .ppt or the like), not monitoring data (${EXPECTED})`;
    case 'zip':
      return `是 ZIP 压缩包：请解压后上传其中的文件。 / is a ZIP archive: unpack it and upload the files in it (${EXPECTED})`;
  }
}

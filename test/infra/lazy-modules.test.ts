/**
 * A lazy module as a function ships it (infra/stack/bundling.ts): the handler bundled with the
 * import left to a file beside it, the module bundled on its own into that file. Run in a fresh
 * Node.js from a directory outside the project, as Lambda runs /var/task: the workbook is read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLE, LAZY_MODULE_BUNDLE, XLSX_ENGINE, lazyModuleFile } from '../../infra/stack/bundling.js';

const dir = mkdtempSync(join(tmpdir(), 'bishui-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in handler: reads the workbook named on its command line through xlsx-rows.ts. */
const PROBE = `
import { createReadStream } from 'node:fs';
import { xlsxRows } from './shared/parsers/xlsx-rows.js';
const rows = [];
for await (const batch of xlsxRows(createReadStream(process.argv[2]), 'book.xlsx').rows) rows.push(...batch);
process.stdout.write(JSON.stringify(rows));
`;

describe('the Excel engine beside the handler', () => {
  it('is loaded from the file beside the bundled handler, which holds none of it', async () => {
    const b = FUNCTION_BUNDLE;
    const l = LAZY_MODULE_BUNDLE;
    const handler = join(dir, 'index.mjs');
    const [main] = await Promise.all([
      build({
        stdin: { contents: PROBE, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: b.format,
        target: b.target, minify: b.minify, outfile: handler, external: [...b.external], banner: { js: b.banner }, logLevel: 'silent', metafile: true,
      }),
      build({
        entryPoints: [XLSX_ENGINE.entry], bundle: true, platform: 'node', format: l.format, target: l.target, minify: l.minify,
        outfile: join(dir, lazyModuleFile(XLSX_ENGINE)), external: [...l.external], banner: { js: l.banner }, logLevel: 'silent',
      }),
    ]);
    expect(Object.keys(main.metafile.inputs).filter((f) => f.includes('node_modules/exceljs/'))).toEqual([]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('小时数据');
    ws.addRow(['断面名称', '监测时间', '氨氮']);
    ws.addRow(['赵牛河断面', '2023-07-15 08:00', 0.52]);
    const book = join(dir, 'book.xlsx');
    writeFileSync(book, Buffer.from(await wb.xlsx.writeBuffer()));

    const out = execFileSync(process.execPath, [handler, book], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([
      { line: 1, sheet: '小时数据', cells: ['断面名称', '监测时间', '氨氮'] },
      { line: 2, sheet: '小时数据', cells: ['赵牛河断面', '2023-07-15 08:00', '0.52'] },
    ]);
  });
});

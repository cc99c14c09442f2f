/**
 * Large benchmark inputs, generated on demand under bench/data/ (git-ignored) with a fixed seed.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { frame } from '../shared/parsers/hj212.js';
import { formatInstant } from '../shared/domain/time.js';
import { mulberry32 } from '../local/sample-data/rng.js';

export const DATA_DIR = join(process.cwd(), 'bench', 'data');

const SITES = ['赵牛河断面', '小湄河断面', '四新河出境断面', '高新瀚海污水处理厂出水'];
const HEADER = '断面名称,监测时间,水温(℃),pH值,溶解氧(mg/L),高锰酸盐指数(mg/L),化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L)\n';

async function writeLines(path: string, limit: { bytes?: number; rows?: number }, header: string, row: (i: number) => string): Promise<number> {
  const targetBytes = limit.bytes ?? Infinity;
  const targetRows = limit.rows ?? Infinity;
  mkdirSync(DATA_DIR, { recursive: true });
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  if (header) { out.write(header); bytes += Buffer.byteLength(header); }
  let buf: string[] = [];
  while (bytes < targetBytes && rows < targetRows) {
    const line = row(rows++);
    bytes += Buffer.byteLength(line);
    buf.push(line);
    if (buf.length >= 2000) {
      if (!out.write(buf.join(''))) await once(out, 'drain');
      buf = [];
    }
  }
  out.write(buf.join(''));
  out.end();
  await once(out, 'finish');
  return rows;
}

/** A wide CSV of about `mb` megabytes: hourly rows for the four sites, eight indicators each. */
export async function wideCsv(mb: number): Promise<string> {
  const path = join(DATA_DIR, `wide-${mb}mb.csv`);
  if (existsSync(path) && statSync(path).size >= mb * 1e6) return path;
  const rnd = mulberry32(7);
  const start = Date.parse('2000-01-01T00:00:00+08:00');
  const f = (x: number, d: number) => x.toFixed(d);
  await writeLines(path, { bytes: mb * 1e6 }, HEADER, (i) => {
    const t = formatInstant(start + Math.floor(i / 4) * 300_000).slice(0, 19).replace('T', ' ');
    return `${SITES[i % 4]},${t},${f(10 + rnd() * 20, 1)},${f(6.5 + rnd() * 2, 2)},${f(3 + rnd() * 6, 2)},${f(2 + rnd() * 8, 1)},${f(10 + rnd() * 25, 1)},${f(rnd() * 1.8, 3)},${f(rnd() * 0.35, 3)},${f(0.5 + rnd() * 4, 2)}\n`;
  });
  return path;
}

/**
 * Rows within Grade IV, as a compliant section reports them: the ingest and memory figures are about
 * moving samples, not about the thousands of alerts uniform noise over the class limits would raise.
 */
function compliantRows(): (i: number) => string {
  const rnd = mulberry32(9);
  const start = Date.parse('2000-01-01T00:00:00+08:00');
  const f = (x: number, d: number) => x.toFixed(d);
  return (i) => {
    const t = formatInstant(start + Math.floor(i / 4) * 300_000).slice(0, 19).replace('T', ' ');
    return `${SITES[i % 4]},${t},${f(10 + rnd() * 20, 1)},${f(6.8 + rnd() * 1.5, 2)},${f(5 + rnd() * 3, 2)},${f(3 + rnd() * 4, 1)},${f(12 + rnd() * 12, 1)},${f(0.2 + rnd() * 0.8, 3)},${f(0.05 + rnd() * 0.2, 3)},${f(0.5 + rnd() * 4, 2)}\n`;
  };
}

/** A compliant wide CSV of exactly `rows` samples (one per row). */
export async function wideCsvRows(rows: number): Promise<string> {
  const path = join(DATA_DIR, `wide-${rows}-rows-compliant.csv`);
  if (!existsSync(path)) await writeLines(path, { rows }, HEADER, compliantRows());
  return path;
}

/** A compliant wide CSV of about `mb` megabytes. */
export async function wideCsvCompliant(mb: number): Promise<string> {
  const path = join(DATA_DIR, `wide-${mb}mb-compliant.csv`);
  if (!(existsSync(path) && statSync(path).size >= mb * 1e6)) await writeLines(path, { bytes: mb * 1e6 }, HEADER, compliantRows());
  return path;
}

/** An HJ 212 log of `n` hourly packets from one station. */
export async function hj212Log(n: number): Promise<string> {
  const path = join(DATA_DIR, `hj212-${n}.log`);
  if (existsSync(path)) return path;
  const rnd = mulberry32(11);
  const start = Date.parse('2000-01-01T00:00:00+08:00');
  await writeLines(path, { rows: n }, '', (i) => {
    const t = formatInstant(start + i * 3_600_000).replace(/[-T:]/g, '').slice(0, 14);
    return frame(`QN=${t}000;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=${t};w01001-Avg=${(6.5 + rnd() * 2).toFixed(2)},w01001-Flag=N;w01009-Avg=${(3 + rnd() * 6).toFixed(2)},w01009-Flag=N;w01018-Avg=${(10 + rnd() * 25).toFixed(1)},w01018-Flag=N;w21003-Avg=${(rnd() * 1.8).toFixed(3)},w21003-Flag=N;w21011-Avg=${(rnd() * 0.35).toFixed(3)},w21011-Flag=N;w21001-Avg=${(0.5 + rnd() * 4).toFixed(2)},w21001-Flag=N&&`);
  });
  return path;
}

/**
 * A station export as an Excel workbook of `rows` data rows: the wide layout of `wideCsv`, times
 * as date-formatted cells, written by exceljs's streaming WorkbookWriter with shared strings (as
 * Excel writes them: the sheet comes before its shared strings and styles in the zip).
 */
export async function wideXlsx(rows: number): Promise<string> {
  const path = join(DATA_DIR, `wide-${rows}-rows.xlsx`);
  if (existsSync(path)) return path;
  mkdirSync(DATA_DIR, { recursive: true });
  const partial = `${path}.partial`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('小时数据');
  ws.addRow(HEADER.trim().split(',')).commit();
  const rnd = mulberry32(13);
  // Excel dates carry no zone: exceljs writes a Date's UTC fields as the wall clock.
  const start = Date.UTC(2000, 0, 1);
  const f = (x: number, d: number) => Number(x.toFixed(d));
  for (let i = 0; i < rows; i++) {
    const row = ws.addRow([
      SITES[i % 4], new Date(start + Math.floor(i / 4) * 300_000), f(10 + rnd() * 20, 1), f(6.5 + rnd() * 2, 2),
      f(3 + rnd() * 6, 2), f(2 + rnd() * 8, 1), f(10 + rnd() * 25, 1), f(rnd() * 1.8, 3), f(rnd() * 0.35, 3), f(0.5 + rnd() * 4, 2),
    ]);
    row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
    row.commit();
  }
  ws.commit();
  await wb.commit();
  renameSync(partial, path);
  return path;
}

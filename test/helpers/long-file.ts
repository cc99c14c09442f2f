/**
 * A long monitoring file in every format, for the continuation tests: ten-minute readings of three
 * stations in the main flood season, with what real exports carry — exceedance episodes and
 * recoveries, a flood-season swing, rejected rows, dropped cells, missing values, a near-miss
 * station name, a statistics footer, and late readings at the end (a late-exceedance digest).
 * Seeded: the same bytes on every run.
 */
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { formatInstant } from '../../shared/domain/time.js';
import { frame } from '../../shared/parsers/hj212.js';
import { mulberry32 } from '../../local/sample-data/rng.js';
import { shanghai } from './parse.js';

interface Station { readonly name: string; readonly mn: string }
const STATIONS: readonly Station[] = [
  { name: '赵牛河断面', mn: '3715000ZNH0001' },
  { name: '小湄河断面', mn: '3715000XMH0001' },
  { name: '四新河出境断面', mn: '3715000SXH0001' },
];
/** Close to 赵牛河断面 but not registered: stored as written, and the file says "did you mean". */
const NEAR_MISS = '赵牛河自动站';

type Cell = number | string;
interface Reading {
  readonly station: Station | { readonly name: string; readonly mn?: undefined };
  /** Local time as written, or a text that is not one (a rejected row). */
  readonly time: string;
  readonly values: { COD: Cell; NH3N: Cell; TP: Cell; DO: Cell; pH: Cell };
}

const STEP = 600_000;
const PER_DAY = 144;
const local = (t: number) => formatInstant(t).slice(0, 16).replace('T', ' ');

/** The readings, in file order: `days` days of the three stations every ten minutes from 20 July 2023, then the late ones. */
export function readings(days: number): Reading[] {
  const rnd = mulberry32(2023);
  const start = shanghai('2023-07-20 00:00');
  const out: Reading[] = [];
  const f = (x: number, d: number) => Number(x.toFixed(d));
  let row = 0;
  for (let k = 0; k < days * PER_DAY; k++) {
    const t = start + k * STEP;
    const day = Math.floor(k / PER_DAY);
    for (const [i, s] of STATIONS.entries()) {
      row++;
      const episode = (k + i * 101) % 211 < 5; // under an hour over target, a few times a day
      const swing = day === 3 && i === 1 ? 2.2 : 1; // 小湄河 on 23 July: a flood-season swing
      const values: Reading['values'] = {
        COD: f((episode ? 34 + rnd() * 10 : 16 + rnd() * 8) * swing, 1),
        NH3N: f((episode && i === 2 ? 1.6 + rnd() : 0.3 + rnd() * 0.8) * swing, 3),
        TP: row % 23 === 0 ? 'abc' : f(0.05 + rnd() * 0.2, 3), // a dropped cell
        DO: row % 11 === 0 ? '--' : f(4 + rnd() * 3, 2), // a missing value
        pH: f(7 + rnd(), 2),
      };
      const station = row % 199 === 0 ? { name: NEAR_MISS } : s;
      out.push({ station, time: row % 17 === 0 ? '昨天' : local(t), values }); // every 17th row: a time that is not one
    }
  }
  // Late readings at the end, between readings judged long before: three over target (one digest).
  for (let k = 0; k < 30; k++) {
    const t = start + (PER_DAY + 3 * k) * STEP + 5 * 60_000;
    out.push({ station: STATIONS[2] as Station, time: local(t), values: { COD: k % 10 === 3 ? 41 : 20, NH3N: 0.5, TP: 0.1, DO: 6, pH: 7.5 } });
  }
  return out;
}

export const CSV_HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L),溶解氧(mg/L),pH值';

export function csv(rows: readonly Reading[]): string {
  const lines = rows.map((r) => [r.station.name, r.time, r.values.COD, r.values.NH3N, r.values.TP, r.values.DO, r.values.pH].join(','));
  return [CSV_HEADER, ...lines, '平均值,,25.1,0.61,0.14,5.4,7.5', '备注：自动站导出'].join('\n');
}

const jsonObject = (r: Reading) => ({ site: r.station.name, time: r.time, ...r.values });

export function ndjson(rows: readonly Reading[]): string {
  return rows.map((r) => JSON.stringify(jsonObject(r))).join('\n');
}

/** A pretty-printed JSON array, split element by element as it streams. */
export function jsonArray(rows: readonly Reading[]): string {
  return JSON.stringify(rows.map(jsonObject), null, 2);
}

/** Minute-data packets (CN 2051) under each station's MN; every 17th packet with a bad CRC, heartbeats between. */
export function hj212(rows: readonly Reading[]): string {
  const lines: string[] = [];
  rows.forEach((r, i) => {
    if (r.station.mn === undefined || !/^\d{4}-/.test(r.time)) return;
    const t = r.time.replace(/[- :]/g, '').padEnd(14, '0');
    const v = (code: string, x: Cell) => (typeof x === 'number' ? `${code}-Avg=${x},${code}-Flag=N` : `${code}-Avg=,${code}-Flag=N`);
    const cp = [v('w01018', r.values.COD), v('w21003', r.values.NH3N), v('w21011', r.values.TP), v('w01009', r.values.DO), v('w01001', r.values.pH)].join(';');
    let packet = frame(`QN=${t}000;ST=21;CN=2051;PW=123456;MN=${r.station.mn};Flag=4;CP=&&DataTime=${t};${cp}&&`);
    if (i % 17 === 5) packet = packet.replace(/[0-9A-F]{4}\r\n$/, '0000\r\n');
    lines.push(packet);
    if (i % 50 === 0) lines.push(frame(`QN=${t}000;ST=91;CN=9014;PW=123456;MN=${r.station.mn};Flag=4;CP=&&&&`));
  });
  return lines.join('');
}

export const gzip = (text: string): Uint8Array => gzipSync(Buffer.from(text, 'utf8'));

const XLSX_SHEETS = ['7月上', '7月下'] as const;

/** Wall-clock text as exceljs takes a date cell: a Date whose UTC fields are what the cell shows. */
const wallClock = (text: string) => new Date(`${text.replace(' ', 'T')}:00Z`);

/**
 * A station's workbook as clerks keep one (exceljs's in-memory writer: sheets before the shared
 * strings in the zip, as Excel writes them): the readings split over two sheets, each under a title
 * merged across the columns and CSV_HEADER's cells, times as date cells (a time that is not one as
 * text), dropped and missing cells as text, the statistics footer under the last sheet.
 */
export async function xlsx(rows: readonly Reading[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const written = new Date(Date.UTC(2023, 7, 1));
  wb.created = wb.modified = written;
  const half = Math.ceil(rows.length / 2);
  const sheets = XLSX_SHEETS.map((name, i) => ({ name, rows: i === 0 ? rows.slice(0, half) : rows.slice(half) }));
  for (const [i, part] of sheets.entries()) {
    const ws = wb.addWorksheet(part.name);
    ws.mergeCells('A1:G1');
    ws.getCell('A1').value = '三站水质自动监测小时数据报表';
    ws.addRow(CSV_HEADER.split(','));
    for (const r of part.rows) {
      const timed = /^\d{4}-/.test(r.time);
      const row = ws.addRow([r.station.name, timed ? wallClock(r.time) : r.time, r.values.COD, r.values.NH3N, r.values.TP, r.values.DO, r.values.pH]);
      if (timed) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
    }
    if (i === sheets.length - 1) {
      ws.addRow(['平均值', '', 25.1, 0.61, 0.14, 5.4, 7.5]);
      ws.addRow(['备注：自动站导出']);
    }
  }
  // The same bytes on every run (the two pipelines compared read one version): the zip's entries
  // are stamped with the time of writing, so they are stamped again, in the order written.
  const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  for (const entry of Object.values(zip.files)) entry.date = written;
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** One file of each kind a continuation must resume: its S3 key and its bytes (a workbook writer's are async). */
export interface LongFile {
  readonly format: string;
  readonly key: string;
  readonly body: () => string | Uint8Array | Promise<Uint8Array>;
  /** A workbook's sheets that hold readings, in tab order. */
  readonly sheets?: readonly string[];
}

/** The formats, each a line: a new one is one more entry. */
export function longFiles(days: number): LongFile[] {
  const rows = readings(days);
  return [
    { format: 'csv', key: 'incoming/三站小时数据-2023-07.csv', body: () => csv(rows) },
    { format: 'ndjson', key: 'incoming/三站小时数据-2023-07.ndjson', body: () => ndjson(rows) },
    { format: 'json', key: 'incoming/三站小时数据-2023-07.json', body: () => jsonArray(rows) },
    { format: 'hj212', key: 'incoming/三站-2023-07.log', body: () => hj212(rows) },
    { format: 'csv+gzip', key: 'incoming/三站小时数据-2023-07.csv.gz', body: () => gzip(csv(rows)) },
    { format: 'xlsx', key: 'incoming/三站小时数据-2023-07.xlsx', body: () => xlsx(rows), sheets: XLSX_SHEETS },
  ];
}

/**
 * Files of every kind a station or clerk sends, dropped into the drop folder of a running local
 * pipeline (issue 12, done means): CSV in UTF-8 and in GBK, TSV, JSON, NDJSON, an HJ 212 log, a
 * gzipped CSV and an Excel workbook each end up in done/, and each file's samples can be queried
 * by site and time, as `bishui query` asks.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { watchDropFolder } from '../../local/runtime/drop-folder.js';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { frame } from '../../shared/parsers/hj212.js';
import { collect, usePipeline } from '../helpers/pipeline.js';
import { shanghai } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

const pipe = usePipeline();
const tmp = tempDir('bishui-drop-formats-');
const drop = join(tmp.dir, 'drop');
const said: string[] = [];
let stop: () => void = () => {};
let watching: Promise<void> | undefined;

afterAll(async () => {
  stop();
  await watching;
});

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; said:\n${said.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hj212 = (hour: number, nh3n: number) => frame(
  `QN=20230806${String(hour).padStart(2, '0')}0000000;ST=21;CN=2061;PW=123456;MN=3715000SXH0001;Flag=4;CP=&&DataTime=20230806${String(hour).padStart(2, '0')}0000;w21003-Avg=${nh3n},w21003-Flag=N&&`,
);

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('小时数据');
  ws.mergeCells('A1:C1');
  ws.getCell('A1').value = '高新瀚海污水处理厂出水小时数据报表';
  ws.addRow(['监测时间', '化学需氧量(mg/L)', '氨氮(mg/L)']);
  for (const h of [8, 9]) ws.addRow([new Date(Date.UTC(2023, 7, 8, h)), 20 + h, 0.5]).getCell(1).numFmt = 'yyyy-mm-dd hh:mm';
  ws.addRow(['平均值', 20.5, 0.5]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Each file: its bytes, the site and day its samples are for, and the values expected of them. */
async function files(): Promise<{ name: string; bytes: Buffer | string; site: string; day: string; values: Record<string, number>[] }[]> {
  return [
    { name: 'utf8.csv', bytes: '断面名称,监测时间,氨氮(mg/L)\n赵牛河断面,2023-08-01 08:00,0.51\n赵牛河断面,2023-08-01 09:00,0.52\n', site: 'zhaoniuhe', day: '2023-08-01', values: [{ NH3N: 0.51 }, { NH3N: 0.52 }] },
    { name: 'gbk.csv', bytes: iconv.encode('站点名称,采样时间,化学需氧量(mg/L),备注\n小湄河断面,2023-08-02 08:00,21,正常\n小湄河断面,2023-08-02 09:00,22,正常\n', 'gbk'), site: 'xiaomeihe', day: '2023-08-02', values: [{ COD: 21 }, { COD: 22 }] },
    { name: 'export.tsv', bytes: 'site\ttime\tTP\nsixinhe\t2023-08-03 08:00\t0.11\n', site: 'sixinhe', day: '2023-08-03', values: [{ TP: 0.11 }] },
    { name: 'samples.json', bytes: JSON.stringify([{ site: 'zhaoniuhe', time: '2023-08-04 08:00', values: { TN: 1.2 } }]), site: 'zhaoniuhe', day: '2023-08-04', values: [{ TN: 1.2 }] },
    { name: 'samples.ndjson', bytes: '{"site":"xiaomeihe","time":"2023-08-05 08:00","DO":6.5}\n{"site":"xiaomeihe","time":"2023-08-05 09:00","DO":6.6}\n', site: 'xiaomeihe', day: '2023-08-05', values: [{ DO: 6.5 }, { DO: 6.6 }] },
    { name: 'station.log', bytes: `connected to 10.0.0.1\n${hj212(8, 0.61)}${hj212(9, 0.62)}`, site: 'sixinhe', day: '2023-08-06', values: [{ NH3N: 0.61 }, { NH3N: 0.62 }] },
    { name: 'zipped.csv.gz', bytes: gzipSync('site,time,CODMn\nzhaoniuhe,2023-08-07 08:00,4.1\n'), site: 'zhaoniuhe', day: '2023-08-07', values: [{ CODMn: 4.1 }] },
    { name: 'report.xlsx', bytes: await workbook(), site: 'hanhai-stp', day: '2023-08-08', values: [{ COD: 28, NH3N: 0.5 }, { COD: 29, NH3N: 0.5 }] },
  ];
}

describe('every kind of file dropped into drop/ ends up queryable', () => {
  it('CSV (UTF-8, GBK), TSV, JSON, NDJSON, HJ 212, gzip and .xlsx', async () => {
    const all = await files();
    watching = watchDropFolder(pipe.get(), drop, (s) => said.push(s), new Promise<void>((r) => { stop = r; }), { pollMs: 50 });
    await until('the drop folder', () => existsSync(drop));
    for (const f of all) writeFileSync(join(drop, f.name), f.bytes);
    await until('every file in done/', () => all.every((f) => existsSync(join(drop, 'done', f.name))));

    for (const f of all) {
      const fileId = `${LOCAL_BUCKET}/incoming/${f.name}`;
      const entry = await pipe.get().ledger.get(`${LOCAL_BUCKET}/incoming/${f.name}`);
      expect(entry, f.name).toMatchObject({ status: 'done', accepted: f.values.length, rejected: 0 });
      const stored = await collect(pipe.get().store.querySite(f.site, shanghai(`${f.day} 00:00`), shanghai(`${f.day} 23:59`)));
      expect(stored.map((s) => [s.fileId, s.sample.values]), f.name).toEqual(f.values.map((v) => [fileId, v]));
    }
    const entries = await Promise.all(all.map((f) => pipe.get().ledger.get(`${LOCAL_BUCKET}/incoming/${f.name}`)));
    expect(entries.map((e) => [e?.format, e?.encoding])).toEqual([
      ['csv', 'utf-8'], ['csv', 'gb18030'], ['tsv', 'utf-8'], ['json', 'utf-8'], ['ndjson', 'utf-8'], ['hj212', 'utf-8'],
      ['csv', 'utf-8+gzip'], ['xlsx', 'utf-8'],
    ]);
  });
});

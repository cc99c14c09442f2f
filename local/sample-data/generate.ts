/**
 * A believable year of monitoring data for the zone's four sites, from a fixed seed: hourly online
 * data, monthly manual samples, an HJ 212 log for one station, the sewage plant's effluent,
 * flood-season episodes in July–August, a slowly rising TN at sixinhe (rising since 2021: each
 * year continues the last), a few instrument faults (a fault-flagged stretch, a flat line, a silent
 * gap) and a few months over target in the manual samples (for the monthly bulletin's ladder).
 * `npm start` ships May and July 2023 hourly and the months before as daily-mean exports
 * (history.ts); benchmarks and demos generate the rest on demand (`bishui samples`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { ParamId } from '../../shared/domain/parameters.js';
import { formatInstant, zonedToInstant } from '../../shared/domain/time.js';
import { frame } from '../../shared/parsers/hj212.js';
import { mulberry32 } from './rng.js';

const HOUR = 3_600_000;

interface SiteModel {
  readonly name: string;
  readonly mn: string;
  /** Typical level and day-to-day variability of each indicator. */
  readonly base: Partial<Record<ParamId, [number, number]>>;
}

const SECTIONS: Record<'zhaoniuhe' | 'xiaomeihe' | 'sixinhe', SiteModel> = {
  zhaoniuhe: { name: '赵牛河断面', mn: '3715000ZNH0001', base: { pH: [7.6, 0.15], DO: [6.2, 0.6], CODMn: [5.2, 0.6], COD: [19, 2.2], NH3N: [0.62, 0.1], TP: [0.16, 0.025], TN: [2.6, 0.3], F: [0.92, 0.08], temp: [16, 0] } },
  xiaomeihe: { name: '小湄河断面', mn: '3715000XMH0001', base: { pH: [7.9, 0.2], DO: [7.4, 0.5], CODMn: [4.2, 0.4], COD: [15, 1.6], NH3N: [0.55, 0.1], TP: [0.12, 0.02], TN: [2.1, 0.25], F: [0.7, 0.06], temp: [16, 0] } },
  sixinhe: { name: '四新河出境断面', mn: '3715000SXH0001', base: { pH: [7.5, 0.12], DO: [6.6, 0.5], CODMn: [5.6, 0.5], COD: [21, 1.8], NH3N: [0.7, 0.1], TP: [0.19, 0.025], TN: [3.2, 0.3], F: [0.85, 0.07], temp: [16, 0] } },
};

const DIGITS: Partial<Record<ParamId, number>> = { pH: 2, DO: 2, CODMn: 1, COD: 1, NH3N: 3, TP: 3, TN: 2, F: 2, temp: 1 };

export interface GenerateOptions {
  readonly outDir: string;
  readonly year?: number;
  /** Months 1–12 to write; the whole year by default. */
  readonly months?: readonly number[];
  /** The random stream; by default the year (2023's is the shipped samples' 2023). */
  readonly seed?: number;
  /** Only the natural noise and seasons: no storms, no faults, no episodes (the false-alarm check). */
  readonly clean?: boolean;
  /** Flood-season storms (on unless clean). */
  readonly storms?: boolean;
  /**
   * `hourly` (default): the stations' hourly exports, the manual report, the plant's log, the HJ 212
   * log. `daily`: what a platform's daily report exports — one row per section and day, the daily
   * mean of the hourly values — and the manual report; no plant log.
   */
  readonly form?: 'hourly' | 'daily';
}

/**
 * Months over target in the manual samples, for the monthly bulletin: 赵牛河's BOD5 in February and
 * again from May (a run of three months in July: 约谈主要负责人), 小湄河's volatile phenol in July
 * (one month: 提醒函). Values in mg/L; GB 3838 Class IV limits are BOD5 6 and phenol 0.01.
 */
const MANUAL_EPISODES: Readonly<Record<string, Readonly<Record<string, { readonly BOD5?: number; readonly phenol?: number }>>>> = {
  zhaoniuhe: { '2023-02': { BOD5: 6.8 }, '2023-05': { BOD5: 7.2 }, '2023-06': { BOD5: 6.9 }, '2023-07': { BOD5: 7.6 } },
  xiaomeihe: { '2023-07': { phenol: 0.012 } },
};

/** Flood-season storm days (day of year): sharp rises in COD, TP, NH3-N, a fall in DO for ~2 days. */
const STORMS = [{ doy: 196, strength: 1.6 }, { doy: 214, strength: 1.1 }, { doy: 226, strength: 0.8 }];

function stormFactor(doy: number, hourOfDay: number): number {
  let f = 0;
  for (const s of STORMS) {
    const dt = doy + hourOfDay / 24 - s.doy;
    if (dt >= 0 && dt < 3) f += s.strength * Math.exp(-dt * 1.4) * (1 - Math.exp(-dt * 8));
  }
  return f;
}

/** Hourly values for one section over the year, with its faults marked. */
function sectionSeries(id: keyof typeof SECTIONS, year: number, rnd: () => number, clean = false, storms = !clean) {
  const model = SECTIONS[id];
  const start = zonedToInstant(year, 1, 1, 0, 0, 0, 0);
  const hours = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / HOUR;
  const ar: Partial<Record<ParamId, number>> = {};
  const rows: { time: number; values: Partial<Record<ParamId, number>>; flags: Partial<Record<ParamId, string>>; skip?: boolean }[] = [];
  const gauss = () => { let s = 0; for (let i = 0; i < 6; i++) s += rnd(); return (s - 3) / Math.sqrt(0.5); };
  for (let h = 0; h < hours; h++) {
    const time = start + h * HOUR;
    const doy = Math.floor(h / 24) + 1;
    const hod = h % 24;
    const season = Math.sin(((doy - 100) / 365) * 2 * Math.PI); // warmest in July
    const storm = storms ? stormFactor(doy, hod) : 0;
    const values: Partial<Record<ParamId, number>> = {};
    for (const [p, [level, sd]] of Object.entries(model.base) as [ParamId, [number, number]][]) {
      ar[p] = 0.96 * (ar[p] ?? 0) + 0.2 * gauss(); // stationary sd ≈ 0.7 of the day-to-day variability
      let v = level + sd * (ar[p] as number) + sd * 0.25 * gauss();
      switch (p) {
        case 'temp': v = 15 + 11 * season + 1.2 * Math.sin(((hod - 9) / 24) * 2 * Math.PI) + 0.3 * gauss(); break;
        case 'DO': v += -0.9 * season + 0.5 * Math.sin(((hod - 9) / 24) * 2 * Math.PI) - 2.2 * storm; break;
        case 'COD': v *= 1 + 0.6 * storm; break;
        case 'CODMn': v *= 1 + 0.3 * storm; break;
        case 'NH3N': v *= 1 + 0.8 * storm; break;
        case 'TP': v *= 1 + 0.9 * storm; break;
        case 'TN': if (id === 'sixinhe') v += 1.1 * (year - 2023 + h / hours); break; // the outbound section's TN rebound, 1.1 mg/L a year
        default: break;
      }
      if (p === 'pH') v = Math.min(9.2, Math.max(6.2, v));
      values[p] = Number(Math.max(p === 'temp' ? -1 : 0.001, v).toFixed(DIGITS[p] ?? 2));
    }
    rows.push({ time, values, flags: {} });
  }
  if (clean) return rows;
  // Instrument faults, one kind a section, placed off the flood season's main days.
  const at = (month: number, day: number) => Math.round((zonedToInstant(year, month, day, 0, 0, 0, 0) - start) / HOUR);
  if (id === 'zhaoniuhe') for (let h = at(7, 3) + 10; h < at(7, 3) + 19; h++) for (const p of Object.keys(rows[h]!.values) as ParamId[]) rows[h]!.flags[p] = 'D';
  if (id === 'xiaomeihe') { const v = rows[at(7, 22) + 2]!.values.NH3N; for (let h = at(7, 22) + 2; h < at(7, 22) + 17; h++) rows[h]!.values.NH3N = v as number; }
  if (id === 'sixinhe') for (let h = at(7, 9) + 6; h < at(7, 9) + 16; h++) rows[h]!.skip = true;
  return rows.filter((r) => !r.skip);
}

const ONLINE_COLUMNS: [ParamId, string][] = [
  ['temp', '水温(℃)'], ['pH', 'pH值'], ['DO', '溶解氧(mg/L)'], ['CODMn', '高锰酸盐指数(mg/L)'], ['COD', '化学需氧量(mg/L)'],
  ['NH3N', '氨氮(mg/L)'], ['TP', '总磷(mg/L)'], ['TN', '总氮(mg/L)'], ['F', '氟化物(mg/L)'],
];

const localTime = (t: number) => formatInstant(t).slice(0, 19).replace('T', ' ');
const monthOf = (t: number) => Number(formatInstant(t).slice(5, 7));

type Series = ReturnType<typeof sectionSeries>;

const MANUAL_HEADER = '站点名称,采样时间,监测项目,监测值,单位';

/** Manual monitoring (人工监测): long layout, the 10th of the month, more indicators, BDL values. */
function manualReport(series: Record<keyof typeof SECTIONS, Series>, year: number, mm: string, rnd: () => number, clean = false): string[] {
  const manual = [MANUAL_HEADER];
  for (const id of ['zhaoniuhe', 'xiaomeihe', 'sixinhe'] as const) {
    const r = series[id].find((s) => formatInstant(s.time).slice(5, 13) === `${mm}-10T10`);
    if (!r) continue;
    const t = localTime(r.time).slice(0, 16);
    for (const [p, name] of [['COD', '化学需氧量'], ['NH3N', '氨氮'], ['TP', '总磷'], ['F', '氟化物'], ['CODMn', '高锰酸盐指数']] as const) {
      manual.push(`${SECTIONS[id].name},${t},${name},${r.values[p]},mg/L`);
    }
    const bod5 = (3 + rnd() * 1.5).toFixed(1);
    const episode = clean ? undefined : MANUAL_EPISODES[id]?.[`${year}-${mm}`];
    manual.push(`${SECTIONS[id].name},${t},五日生化需氧量,${episode?.BOD5 ?? bod5},mg/L`);
    manual.push(`${SECTIONS[id].name},${t},挥发酚,${episode?.phenol ?? '0.0003L'},mg/L`, `${SECTIONS[id].name},${t},汞,0.04L,μg/L`, `${SECTIONS[id].name},${t},石油类,0.01L,mg/L`);
  }
  return manual;
}

const DAILY_HEADER = `断面名称,日期,${ONLINE_COLUMNS.map(([, h]) => h).join(',')}`;

/** A platform's daily report: one row per section and day, each indicator the mean of the day's valid hourly values. */
function dailyExport(series: Record<keyof typeof SECTIONS, Series>, month: number): string[] {
  const lines: string[] = [];
  for (const id of ['zhaoniuhe', 'xiaomeihe', 'sixinhe'] as const) {
    const days = new Map<string, Partial<Record<ParamId, number[]>>>();
    for (const r of series[id]) {
      if (monthOf(r.time) !== month) continue;
      const day = formatInstant(r.time).slice(0, 10);
      const acc = days.get(day) ?? {};
      for (const [p, v] of Object.entries(r.values) as [ParamId, number][]) if (!r.flags[p]) (acc[p] ??= []).push(v);
      days.set(day, acc);
    }
    for (const [day, acc] of days) {
      const mean = (p: ParamId) => {
        const xs = acc[p] ?? [];
        return xs.length === 0 ? '' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(DIGITS[p] ?? 2);
      };
      lines.push(`${SECTIONS[id].name},${day},${ONLINE_COLUMNS.map(([p]) => mean(p)).join(',')}`);
    }
  }
  return lines;
}

export function generateSamples(options: GenerateOptions): string[] {
  const year = options.year ?? 2023;
  const months = new Set(options.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const rnd = mulberry32(options.seed ?? year);
  const storms = options.storms ?? !options.clean;
  const daily = options.form === 'daily';
  mkdirSync(options.outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    const path = join(options.outDir, name);
    writeFileSync(path, content);
    written.push(path);
  };
  const series = {
    zhaoniuhe: sectionSeries('zhaoniuhe', year, rnd, options.clean, storms),
    xiaomeihe: sectionSeries('xiaomeihe', year, rnd, options.clean, storms),
    sixinhe: sectionSeries('sixinhe', year, rnd, options.clean, storms),
  };

  // The daily form is one export over the months asked for, as a platform exports a date range.
  const dailyRows: string[] = [];
  const manualRows: string[] = [];
  for (const month of [...months].sort((a, b) => a - b)) {
    const mm = String(month).padStart(2, '0');
    if (daily) {
      dailyRows.push(...dailyExport(series, month));
      manualRows.push(...manualReport(series, year, mm, rnd, options.clean).slice(1));
      continue;
    }
    // Online platform exports: GBK with Chinese headers and a per-row flag column (赵牛河, 四新河).
    for (const id of ['zhaoniuhe', 'sixinhe'] as const) {
      const lines = [`断面名称,监测时间,${ONLINE_COLUMNS.map(([, h]) => h).join(',')},数据标识`];
      for (const r of series[id].filter((x) => monthOf(x.time) === month)) {
        const flag = Object.values(r.flags)[0] ?? 'N';
        lines.push(`${SECTIONS[id].name},${localTime(r.time)},${ONLINE_COLUMNS.map(([p]) => r.values[p]).join(',')},${flag}`);
      }
      write(`${SECTIONS[id].name}-${year}-${mm}.csv`, iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'));
    }
    // 小湄河: UTF-8 with BOM, English headers, slash dates.
    const x = ['Station,Sample Time,Temperature,pH,DO (mg/L),CODMn,CODcr,NH3-N (mg/L),TP(mg/L),TN(mg/L),Fluoride'];
    for (const r of series.xiaomeihe.filter((s) => monthOf(s.time) === month)) {
      const t = formatInstant(r.time);
      x.push(`小湄河,${Number(t.slice(0, 4))}/${Number(t.slice(5, 7))}/${Number(t.slice(8, 10))} ${Number(t.slice(11, 13))}:00,${ONLINE_COLUMNS.map(([p]) => r.values[p]).join(',')}`);
    }
    write(`xiaomeihe-${year}-${mm}.csv`, `\uFEFF${x.join('\n')}\n`);

    write(`人工监测-${year}-${mm}.csv`, iconv.encode(`${manualReport(series, year, mm, rnd, options.clean).join('\r\n')}\r\n`, 'gbk'));

    // The sewage plant's effluent log: every 2 hours; one NH3-N episode in July.
    const stp = ['排放口名称,监测时间,化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),pH值,流量(m3/h)'];
    const first = zonedToInstant(year, month, 1, 0, 0, 0, 0);
    const last = zonedToInstant(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1, 0, 0, 0, 0);
    for (let t = first; t < last; t += 2 * HOUR) {
      const episode = !options.clean && month === 7 && t >= zonedToInstant(year, 7, 18, 6, 0, 0, 0) && t < zonedToInstant(year, 7, 18, 16, 0, 0, 0);
      stp.push(['高新瀚海污水处理厂出水', localTime(t), (19 + rnd() * 6).toFixed(1), (episode ? 1.9 + rnd() * 0.4 : 0.35 + rnd() * 0.4).toFixed(2),
        (0.12 + rnd() * 0.08).toFixed(3), (7.5 + rnd() * 2.5).toFixed(2), (7.1 + rnd() * 0.4).toFixed(2), (1150 + rnd() * 300).toFixed(0)].join(','));
    }
    write(`瀚海污水处理厂出水-${year}-${mm}.csv`, `${stp.join('\n')}\n`);
  }

  if (daily && months.size > 0) {
    const sorted = [...months].sort((a, b) => a - b);
    const span = `${year}-${String(sorted[0]).padStart(2, '0')}至${year}-${String(sorted.at(-1)).padStart(2, '0')}`;
    write(`日均值-${span}.csv`, `\uFEFF${[DAILY_HEADER, ...dailyRows].join('\n')}\n`);
    write(`人工监测-${span}.csv`, iconv.encode(`${[MANUAL_HEADER, ...manualRows].join('\r\n')}\r\n`, 'gbk'));
  }

  // HJ 212 log of 四新河's station for the flood-season main days: hourly 2061 packets, heartbeats, a corrupted packet.
  if (months.has(7) && !options.clean && !daily) {
    const log: string[] = [];
    const from = zonedToInstant(year, 7, 14, 0, 0, 0, 0);
    for (const r of series.sixinhe.filter((s) => s.time >= from && s.time < from + 4 * 24 * HOUR)) {
      const dt = formatInstant(r.time).replace(/[-T:]/g, '').slice(0, 14);
      const cp = [`DataTime=${dt}`, ...([['w01001', 'pH'], ['w01009', 'DO'], ['w01018', 'COD'], ['w21003', 'NH3N'], ['w21011', 'TP'], ['w21001', 'TN']] as const)
        .map(([code, p]) => `${code}-Avg=${r.values[p]},${code}-Flag=N`)].join(';');
      const at = `${localTime(r.time + 62_000)}.417`;
      log.push(`${at} ${frame(`QN=${dt}000;ST=21;CN=2061;PW=123456;MN=${SECTIONS.sixinhe.mn};Flag=4;CP=&&${cp}&&`).trimEnd()}`);
      if (r.time % (6 * HOUR) === 0) log.push(`${at} ${frame(`QN=${dt}500;ST=21;CN=9015;PW=123456;MN=${SECTIONS.sixinhe.mn};Flag=4;CP=&&&&`).trimEnd()}`);
    }
    // one packet damaged in transit: its CRC no longer matches
    const i = Math.floor(log.length / 2);
    log[i] = (log[i] as string).replace(/w21003-Avg=0\./, 'w21003-Avg=1.');
    write(`hj212-${SECTIONS.sixinhe.mn}-${year}0714.log`, `${log.join('\r\n')}\r\n`);
  }
  return written;
}

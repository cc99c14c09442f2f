/**
 * The monthly bulletin end to end on real emulators: files written by the test go through the local
 * pipeline (S3 → queue → ingest handler → dynalite); the bulletin built from the stored day parts is
 * checked against figures the test works out itself from the same rows, with plain arithmetic
 * (docs/domain.md#cwqi, #monthly-assessment): daily means, their monthly mean, CWQI = Σ C/S(III), changes, the ladder,
 * the Mann–Kendall S and Sen's slope of a strictly rising series.
 */
import { describe, expect, it } from 'vitest';
import { defaultSupervisionConfig } from '../../shared/config/supervision.js';
import { defaultRegistry } from '../../shared/config/registry.js';
import { addMonths, daysInMonth, monthsBetween } from '../../shared/domain/months.js';
import { buildBulletin } from '../../shared/supervision/build-bulletin.js';
import { usePipeline } from '../helpers/pipeline.js';

const p = usePipeline({ alerts: false });
const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L)';
const dd = (d: number) => String(d).padStart(2, '0');

type Row = { site: string; time: string; COD: number; NH3N: number; TP: number; TN: number };
const line = (r: Row) => `${r.site},${r.time},${r.COD},${r.NH3N},${r.TP},${r.TN}`;

/**
 * 赵牛河: two readings a day (08:00 and 20:00, COD 4 apart), plus a third reading on the 1st at noon
 * (COD 60) — so the month's mean of daily means differs from the mean of all its readings. COD sits
 * above Grade IV (30) from May to July 2023, within it in April and July 2022.
 */
const codLevel: Record<string, number> = { '2022-07': 22, '2023-04': 24, '2023-05': 31, '2023-06': 32, '2023-07': 33 };
function zhaoniuheRows(month: string): Row[] {
  const rows: Row[] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    const base = (codLevel[month] as number) + (d % 5) * 0.5;
    rows.push({ site: '赵牛河断面', time: `${month}-${dd(d)} 08:00`, COD: base, NH3N: 0.6, TP: 0.15, TN: 2.5 });
    rows.push({ site: '赵牛河断面', time: `${month}-${dd(d)} 20:00`, COD: base + 4, NH3N: 0.8, TP: 0.15, TN: 2.5 });
    if (d === 1) rows.push({ site: '赵牛河断面', time: `${month}-01 12:00`, COD: 60, NH3N: 0.7, TP: 0.15, TN: 2.5 });
  }
  return rows;
}

/** 四新河: one reading a day for 24 months, TN rising 0.05 mg/L a month, other items steady. */
const SIXINHE_MONTHS = monthsBetween('2021-08', '2023-07');
function sixinheRows(): Row[] {
  return SIXINHE_MONTHS.flatMap((month, i) => Array.from({ length: daysInMonth(month) }, (_, k) => ({
    site: '四新河出境断面', time: `${month}-${dd(k + 1)} 08:00`, COD: 18 + (i % 3), NH3N: 0.5, TP: 0.1, TN: 2 + 0.05 * i,
  })));
}

/** What the test expects, worked out from the rows alone. */
function expected(rows: readonly Row[], month: string) {
  const days = new Map<string, Row[]>();
  for (const r of rows.filter((x) => x.time.startsWith(month))) days.set(r.time.slice(0, 10), [...(days.get(r.time.slice(0, 10)) ?? []), r]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const monthly = (k: 'COD' | 'NH3N' | 'TP' | 'TN') => mean([...days.values()].map((rs) => mean(rs.map((r) => r[k]))));
  const m = { COD: monthly('COD'), NH3N: monthly('NH3N'), TP: monthly('TP'), TN: monthly('TN') };
  // CWQI: C / Class III limit (COD 20, NH3-N 1.0, river TP 0.2); TN is not indexed
  return { ...m, days: days.size, cwqi: m.COD / 20 + m.NH3N / 1.0 + m.TP / 0.2 };
}

describe('the monthly bulletin on the local pipeline', () => {
  const zhaoniuhe = Object.keys(codLevel).flatMap(zhaoniuheRows);
  const sixinhe = sixinheRows();
  const stp = [
    '排放口名称,监测时间,化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)',
    '瀚海污水处理厂,2023-07-18 06:00,20,0.5,0.15', '瀚海污水处理厂,2023-07-18 08:00,21,1.95,0.15',
    '瀚海污水处理厂,2023-07-18 10:00,34.5,0.5,0.15', '瀚海污水处理厂,2023-07-18 12:00,22,0.4,0.15',
  ];
  const stranger = ['站点名称,监测时间,化学需氧量(mg/L)', ...[3, 4, 5].map((d) => `试验监测点,2023-07-0${d} 09:00,${20 + d}`)];

  it('ingests the files and builds the bulletin with the figures worked out from the rows', async () => {
    const pipe = p.get();
    for (const month of Object.keys(codLevel)) {
      await pipe.upload(`incoming/zhaoniuhe-${month}.csv`, [HEADER, ...zhaoniuheRows(month).map(line)].join('\n'));
    }
    await pipe.upload('incoming/sixinhe-daily.csv', [HEADER, ...sixinhe.map(line)].join('\n'));
    await pipe.upload('incoming/stp-2023-07.csv', stp.join('\n'));
    await pipe.upload('incoming/stranger.csv', stranger.join('\n'));
    await pipe.idle();

    const registry = defaultRegistry();
    const b = await buildBulletin('2023-07', { store: pipe.store, registry, config: defaultSupervisionConfig() });
    const site = (id: string) => b.sites.find((s) => s.site === id)!;

    // 赵牛河, July 2023: mean of daily means, graded V (COD over 30), CWQI, 同比 and 环比
    const z7 = expected(zhaoniuhe, '2023-07');
    const z6 = expected(zhaoniuhe, '2023-06');
    const z22 = expected(zhaoniuhe, '2022-07');
    const allReadings = zhaoniuhe.filter((r) => r.time.startsWith('2023-07')).map((r) => r.COD);
    expect(z7.COD).not.toBeCloseTo(allReadings.reduce((a, c) => a + c, 0) / allReadings.length, 3);
    expect(site('zhaoniuhe')).toMatchObject({ days: 31, assessed: true, grade: 'V', compliant: false, minDays: 20 });
    expect(site('zhaoniuhe').means.COD).toBeCloseTo(z7.COD, 9);
    expect(site('zhaoniuhe').exceedances).toEqual([{ param: 'COD', value: expect.closeTo(z7.COD, 9), limit: 30, multiple: expect.closeTo((z7.COD - 30) / 30, 9) }]);
    expect(site('zhaoniuhe').cwqi).toBeCloseTo(z7.cwqi, 9);
    expect(site('zhaoniuhe').yoy).toBeCloseTo((z7.cwqi - z22.cwqi) / z22.cwqi, 9);
    expect(site('zhaoniuhe').mom).toBeCloseTo((z7.cwqi - z6.cwqi) / z6.cwqi, 9);

    // year to date: April–July 2023 (the months there are), each month's means averaged; 2022: July only
    const ytdMonths = ['2023-04', '2023-05', '2023-06', '2023-07'].map((m) => expected(zhaoniuhe, m));
    const avg = (k: 'COD' | 'NH3N' | 'TP') => ytdMonths.reduce((a, m) => a + m[k], 0) / ytdMonths.length;
    const ytdCwqi = avg('COD') / 20 + avg('NH3N') / 1.0 + avg('TP') / 0.2;
    expect(site('zhaoniuhe').yearToDate.cwqi).toBeCloseTo(ytdCwqi, 9);
    expect(site('zhaoniuhe').yearToDate.change).toBeCloseTo((ytdCwqi - z22.cwqi) / z22.cwqi, 9);

    // 四新河 and the zone: two assessed sections (小湄河 has no data: not assessed, a data problem)
    const s7 = expected(sixinhe, '2023-07');
    expect(site('sixinhe')).toMatchObject({ assessed: true, compliant: true, rank: 1 });
    expect(site('sixinhe').cwqi).toBeCloseTo(s7.cwqi, 9);
    expect(site('zhaoniuhe').rank).toBe(2);
    expect(site('xiaomeihe')).toMatchObject({ assessed: false, rank: null, compliant: null });
    expect(b.data.problems).toContainEqual({ site: 'xiaomeihe', reason: '2023-07 无监测数据' });
    expect(b.zone.cwqi).toBeCloseTo((z7.cwqi + s7.cwqi) / 2, 9);
    const s22 = expected(sixinhe, '2022-07');
    expect(b.zone.yoy).toBeCloseTo(((z7.cwqi + s7.cwqi) / 2 - (z22.cwqi + s22.cwqi) / 2) / ((z22.cwqi + s22.cwqi) / 2), 9);

    // the ladder: 赵牛河's town over target May, June, July → 约谈主要负责人
    const town = b.towns.find((t) => t.sites.includes('zhaoniuhe'))!;
    expect(town).toMatchObject({ consecutive: 3, action: 'interview-principal' });
    expect(town.history.map((h) => h.month)).toEqual(['2023-05', '2023-06', '2023-07']);
    expect(b.towns.find((t) => t.sites.includes('sixinhe'))).toMatchObject({ consecutive: 0, action: 'none' });

    // the TN trend: 24 strictly rising monthly means → S = 24·23/2 = 276; Sen 0.05 a month = 0.6 a year
    const [trend] = b.trends;
    expect(trend).toMatchObject({ site: 'sixinhe', param: 'TN', n: 24, s: 276, from: '2021-08', to: '2023-07', direction: 'up', verdict: '反弹' });
    expect(trend!.varS).toBeCloseTo((24 * 23 * 53) / 18, 9);
    expect(trend!.senSlopePerYear).toBeCloseTo(0.6, 9);
    expect(trend!.series.map((x) => x.month)).toEqual(SIXINHE_MONTHS);

    // the plant, sample by sample: 2 of 4 within its limits; the worst the NH3-N reading (0.3 over)
    expect(site('hanhai-stp').effluent).toMatchObject({ samples: 4, compliantSamples: 2, compliantShare: 0.5, worst: { time: '2023-07-18T08:00:00+08:00' } });
    // an unregistered station that reported in July: listed, judged on the manual threshold, never ranked
    expect(site('试验监测点')).toMatchObject({ registered: false, days: 3, assessed: true, rank: null, town: null });
    expect(site('试验监测点').means.COD).toBeCloseTo((23 + 24 + 25) / 3, 9);

    // the charts: 13 months per section, the flood-season days of July
    expect(b.history.filter((h) => h.site === 'zhaoniuhe').map((h) => h.month)).toEqual(monthsBetween(addMonths('2023-07', -12), '2023-07'));
    expect(b.floodDaily.filter((d) => d.site === 'zhaoniuhe')).toHaveLength(31);

    // the same month again: the same answer
    const again = await buildBulletin('2023-07', { store: pipe.store, registry, config: defaultSupervisionConfig(), now: () => Date.parse(b.generatedAt) });
    expect(again).toEqual(b);
  }, 120_000);
});

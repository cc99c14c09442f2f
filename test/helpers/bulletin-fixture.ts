/**
 * A realistic monthly Bulletin for the document tests: July 2023 (inside the flood window) for the
 * zone's four registered sites and one unregistered station, with 13 months of history and 24 of
 * total nitrogen at 四新河出境断面. Every grade, index, contribution and exceedance is computed from
 * the monthly means by the domain's own evaluateSample, so the numbers agree with GB 3838 (a Grade V
 * section's mean lies between its IV and V limits); the ladder follows from the months the means
 * exceed: 高新区 1 month (提醒函), 小湄河 2 (约谈分管), 赵牛河 3 (约谈主要), 四新河 4 (挂牌督办).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Evaluation, evaluateSample } from '../../shared/domain/evaluate.js';
import type { ParamId } from '../../shared/domain/parameters.js';
import { type Site, SiteRegistry } from '../../shared/domain/sites.js';
import type {
  Bulletin, LadderAction, MonthlySiteResult, TownResult, TrendResult,
} from '../../shared/supervision/bulletin.js';

export const FIXTURE_MONTH = '2023-07';
const SITES_FILE = fileURLToPath(new URL('../../config/sites.json', import.meta.url));
export const fixtureRegistry = SiteRegistry.parse(JSON.parse(readFileSync(SITES_FILE, 'utf8')));
const site = (id: string) => fixtureRegistry.get(id) as Site;

type Means = Partial<Record<ParamId, number>>;

/** YYYY-MM, k months after 2020-08 (k = 0 … 35 → 2020-08 … 2023-07). */
const monthAt = (k: number) => {
  const m = 7 + k;
  return `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
};
const MONTHS = Array.from({ length: 36 }, (_, k) => monthAt(k));
/** A smooth, repeatable wobble in [−1, 1] (no random numbers: the fixture is the same every run). */
const wobble = (k: number, phase: number) => Math.sin(k * 1.7 + phase) * 0.6 + Math.sin(k * 0.45 + phase * 2) * 0.4;
/** Summer (rain runoff) raises COD and TP; winter (cold, weak nitrification) raises NH3-N. */
const summer = (month: string) => Math.cos(((Number(month.slice(5)) - 7.5) / 12) * 2 * Math.PI);

/** Months whose means exceed the target on purpose, per section, and the indicator that does it. */
const EXCEEDING: Readonly<Record<string, { param: ParamId; months: readonly string[]; value: (i: number) => number }>> = {
  // COD between the IV (30) and V (40) limits: Grade V.
  sixinhe: { param: 'COD', months: ['2023-04', '2023-05', '2023-06', '2023-07'], value: (i) => [31.2, 32.4, 34.0, 33.1][i] as number },
  // TP between 0.3 and 0.4: Grade V.
  zhaoniuhe: { param: 'TP', months: ['2023-05', '2023-06', '2023-07'], value: (i) => [0.318, 0.342, 0.356][i] as number },
  // NH3-N between 1.5 and 2.0: Grade V.
  xiaomeihe: { param: 'NH3N', months: ['2023-06', '2023-07'], value: (i) => [1.64, 1.72][i] as number },
};

function sectionMeans(id: string, k: number, month: string): Means {
  const s = summer(month);
  const w = (p: number) => wobble(k, p);
  const drift = 1.2 - 0.012 * k;
  const base: Record<string, Means> = {
    // 赵牛河 improves year on year (drift), apart from its TP.
    zhaoniuhe: { pH: 7.9 + 0.2 * w(1), DO: 6.2 - 0.9 * s, CODMn: (6.8 + 0.8 * s) * drift, COD: (23 + 3 * s + w(2)) * drift, BOD5: (4.1 + 0.4 * s) * drift, NH3N: (0.95 - 0.2 * s + 0.1 * w(3)) * drift, TP: 0.22 + 0.04 * s + 0.02 * w(4), F: (1.12 + 0.1 * w(5)) * drift },
    xiaomeihe: { pH: 8.3 + 0.25 * w(6), DO: 5.8 - 0.8 * s, CODMn: 7.2 + 0.6 * s, COD: 24 + 2 * s + w(7), BOD5: 4.4 + 0.3 * s, NH3N: 1.05 - 0.2 * s + 0.12 * w(8), TP: 0.2 + 0.03 * s, F: 0.82 + 0.06 * w(9) },
    sixinhe: { pH: 7.6 + 0.15 * w(10), DO: 5.4 - 0.8 * s, CODMn: 8.1 + 0.7 * s, COD: 25.5 + 2.5 * s + 1.2 * w(11), BOD5: 4.9 + 0.4 * s, NH3N: 1.1 - 0.2 * s + 0.1 * w(12), TP: 0.24 + 0.03 * s, F: 0.9 + 0.05 * w(13), TN: 1.55 + 0.03 * k + 0.12 * w(14) },
  };
  const m = { ...base[id] } as Means;
  const ex = EXCEEDING[id];
  if (ex) {
    const i = ex.months.indexOf(month);
    if (i >= 0) m[ex.param] = ex.value(i);
  }
  return m;
}

const evaluate = (s: Site, values: Means, time = Date.UTC(2023, 6, 15)): Evaluation =>
  evaluateSample({ site: s.id, registered: true, time, values, flags: {}, source: { file: 'fixture', line: 1 } }, s);

/** A month's evaluation of each registered section, for every month of the fixture. */
const SECTIONS = ['zhaoniuhe', 'xiaomeihe', 'sixinhe'] as const;
const monthly = new Map<string, { means: Means; e: Evaluation }>();
for (const id of SECTIONS) {
  MONTHS.forEach((month, k) => {
    const means = sectionMeans(id, k, month);
    monthly.set(`${id} ${month}`, { means, e: evaluate(site(id), means) });
  });
}
const at = (id: string, month: string) => monthly.get(`${id} ${month}`) as { means: Means; e: Evaluation };
const change = (now: number | null, base: number | null) => (now === null || base === null || base === 0 ? null : (now - base) / base);
const shift = (month: string, by: number) => MONTHS[MONTHS.indexOf(month) + by] as string;

function yearToDate(id: string): MonthlySiteResult['yearToDate'] {
  const mean = (months: string[]) => {
    const out: Means = {};
    for (const p of Object.keys(at(id, months[0] as string).means) as ParamId[]) {
      out[p] = months.reduce((a, m) => a + (at(id, m).means[p] as number), 0) / months.length;
    }
    return out;
  };
  const now = mean(['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07']);
  const before = mean(['2022-01', '2022-02', '2022-03', '2022-04', '2022-05', '2022-06', '2022-07']);
  const e = evaluate(site(id), now);
  return { means: now, grade: e.grade, cwqi: e.cwqi, change: change(e.cwqi, evaluate(site(id), before).cwqi) };
}

function sectionResult(id: string): Omit<MonthlySiteResult, 'rank' | 'improvementRank'> {
  const s = site(id);
  const { means, e } = at(id, FIXTURE_MONTH);
  return {
    site: id, name: s.name, registered: true, kind: s.kind, town: s.town ?? null, month: FIXTURE_MONTH,
    days: 31, daysWithValidData: 31, minDays: 20, validDays: Object.fromEntries(Object.keys(means).map((p) => [p, p === 'TN' ? 4 : 31])),
    assessed: true, means, grade: e.grade, target: s.target, compliant: e.compliant, cwqi: e.cwqi,
    contributions: e.contributions, exceedances: e.exceedances, mainPollutants: e.mainPollutants,
    yoy: change(e.cwqi, at(id, shift(FIXTURE_MONTH, -12)).e.cwqi),
    mom: change(e.cwqi, at(id, shift(FIXTURE_MONTH, -1)).e.cwqi),
    yearToDate: yearToDate(id),
  };
}

/** The sewage plant: 31 daily samples, two over the NH3-N effluent limit (1.5 mg/L). */
function plantResult(): Omit<MonthlySiteResult, 'rank' | 'improvementRank'> {
  const s = site('hanhai-stp');
  const samples = Array.from({ length: 31 }, (_, d) => {
    const values: Means = { pH: 7.2 + 0.1 * wobble(d, 1), COD: 21 + 3 * wobble(d, 2), NH3N: d === 11 ? 1.92 : d === 12 ? 1.61 : 0.72 + 0.2 * wobble(d, 3), TP: 0.17 + 0.04 * wobble(d, 4) };
    const time = Date.UTC(2023, 6, d + 1, 1, 0);
    return { time, values, e: evaluate(s, values, time) };
  });
  const means: Means = {};
  for (const p of ['pH', 'COD', 'NH3N', 'TP'] as ParamId[]) means[p] = samples.reduce((a, x) => a + (x.values[p] as number), 0) / samples.length;
  const e = evaluate(s, means);
  const compliantSamples = samples.filter((x) => x.e.compliant === true).length;
  const worst = samples.reduce((a, x) => (Math.max(0, ...x.e.exceedances.map((y) => y.multiple ?? 0)) > Math.max(0, ...a.e.exceedances.map((y) => y.multiple ?? 0)) ? x : a));
  return {
    site: s.id, name: s.name, registered: true, kind: s.kind, town: s.town ?? null, month: FIXTURE_MONTH,
    days: 31, daysWithValidData: 31, minDays: 20, validDays: { pH: 31, COD: 31, NH3N: 31, TP: 31 }, assessed: true, means, grade: e.grade, target: s.target,
    // Every sample must comply: two did not, so the month did not.
    compliant: compliantSamples === samples.length, cwqi: e.cwqi, contributions: e.contributions,
    exceedances: e.exceedances, mainPollutants: e.mainPollutants, yoy: null, mom: null,
    yearToDate: { means, grade: e.grade, cwqi: e.cwqi, change: null },
    effluent: {
      samples: samples.length, compliantSamples, compliantShare: compliantSamples / samples.length,
      worst: { time: new Date(worst.time).toISOString(), grade: worst.e.grade, exceedances: worst.e.exceedances },
    },
  };
}

/** An unregistered station a file named, with three days of data: not assessed, a data problem. */
export const UNREGISTERED = { site: '东沟村临时监测点', reason: '本月仅 3 天有数据，少于评价所需的 10 天' };
function unregisteredResult(name: string): Omit<MonthlySiteResult, 'rank' | 'improvementRank'> {
  return {
    site: UNREGISTERED.site, name, registered: false, kind: 'river-section', town: null, month: FIXTURE_MONTH,
    days: 3, daysWithValidData: 3, minDays: 20, validDays: { COD: 3, NH3N: 3 }, assessed: false, notAssessedReason: UNREGISTERED.reason,
    means: { COD: 27.5, NH3N: 1.2 }, grade: null, target: 'IV', compliant: null, cwqi: null, contributions: {},
    exceedances: [], mainPollutants: [], yoy: null, mom: null,
    yearToDate: { means: {}, grade: null, cwqi: null, change: null },
  };
}

// --- Mann–Kendall and Sen's slope (docs/domain.md#trend-test), for a consistent trend entry ---------------
function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for a fixture's p-value.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
function mannKendall(xs: readonly number[]) {
  const n = xs.length;
  let s = 0;
  const slopes: number[] = [];
  for (let k = 0; k < n; k++) for (let j = k + 1; j < n; j++) {
    s += Math.sign((xs[j] as number) - (xs[k] as number));
    slopes.push(((xs[j] as number) - (xs[k] as number)) / (j - k));
  }
  const ties = new Map<number, number>();
  for (const x of xs) ties.set(x, (ties.get(x) ?? 0) + 1);
  const varS = (n * (n - 1) * (2 * n + 5) - [...ties.values()].reduce((a, t) => a + t * (t - 1) * (2 * t + 5), 0)) / 18;
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  const p = 2 * (1 - 0.5 * (1 + erf(Math.abs(z) / Math.SQRT2)));
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  const sen = slopes.length % 2 ? (slopes[mid] as number) : ((slopes[mid - 1] as number) + (slopes[mid] as number)) / 2;
  return { s, varS, z, p, senSlopePerYear: sen * 12 };
}

function tnTrend(): TrendResult {
  const months = MONTHS.slice(-24);
  const series = months.map((month) => ({ month, value: at('sixinhe', month).means.TN as number }));
  const mk = mannKendall(series.map((x) => x.value));
  const direction = mk.p < 0.05 ? (mk.z > 0 ? 'up' : 'down') : 'none';
  return {
    site: 'sixinhe', param: 'TN', n: series.length, from: months[0] as string, to: months[months.length - 1] as string,
    ...mk, direction, verdict: direction === 'up' ? '反弹' : direction === 'down' ? '改善' : '无显著趋势', series,
    verdictKey: direction === 'up' ? 'rising' : direction === 'down' ? 'falling' : 'none',
    reference: { from: MONTHS[0] as string, to: months[0] as string, n: 0, s: null, p: null },
  };
}

/** Ranks with ties sharing a rank (1 = smallest). */
function ranks<T>(items: readonly T[], key: (t: T) => number | null): Map<T, number> {
  const scored = items.filter((t) => key(t) !== null).sort((a, b) => (key(a) as number) - (key(b) as number));
  const out = new Map<T, number>();
  scored.forEach((t, i) => out.set(t, i > 0 && key(scored[i - 1] as T) === key(t) ? (out.get(scored[i - 1] as T) as number) : i + 1));
  return out;
}

const ACTIONS: readonly LadderAction[] = ['none', 'reminder-letter', 'interview-deputy', 'interview-principal', 'listed-supervision'];
const LABELS: Readonly<Record<LadderAction, string>> = {
  none: '无', 'reminder-letter': '提醒函', 'interview-deputy': '约谈分管负责人', 'interview-principal': '约谈主要负责人', 'listed-supervision': '挂牌督办',
};

export interface FixtureOptions {
  /** Replaces the unregistered station's name (the escaping tests put hostile text here). */
  readonly unregisteredName?: string;
  /** Replaces the 四新河 town's name (hostile text reaching a letter and its file name). */
  readonly sixinheTown?: string;
}

export function fixtureBulletin(options: FixtureOptions = {}): Bulletin {
  const plain = [...SECTIONS.map(sectionResult), plantResult(), unregisteredResult(options.unregisteredName ?? UNREGISTERED.site)];
  const sections = plain.filter((s) => s.kind === 'river-section' && s.assessed);
  const byCwqi = ranks(sections, (s) => s.cwqi);
  const byYoy = ranks(sections, (s) => s.yoy);
  const sites: MonthlySiteResult[] = plain.map((s) => ({ ...s, rank: byCwqi.get(s) ?? null, improvementRank: byYoy.get(s) ?? null }));

  const townOf = (id: string) => (id === 'sixinhe' && options.sixinheTown ? options.sixinheTown : site(id).town as string);
  const runs: Record<string, number> = { 'hanhai-stp': 1, xiaomeihe: 2, zhaoniuhe: 3, sixinhe: 4 };
  const sectionCwqi = new Map(sites.map((s) => [s.site, s.cwqi]));
  // Towns rank by their river sections; the plant's town has none.
  const townRank = ranks(Object.keys(runs).filter((id) => id !== 'hanhai-stp'), (id) => sectionCwqi.get(id) ?? null);
  const towns: TownResult[] = Object.entries(runs).map(([id, n]) => {
    const action = ACTIONS[Math.min(n, 4)] as LadderAction;
    const months = MONTHS.slice(-(n + 1));
    const town = townOf(id);
    const recipients = [
      { role: '责任河长', name: `${town}河长（待填）` },
      ...(action === 'interview-deputy' ? [{ role: '分管负责人', name: `${town}分管负责人（待填）` }] : []),
      ...(action === 'interview-principal' || action === 'listed-supervision' ? [{ role: '主要负责人', name: `${town}主要负责人（待填）` }] : []),
    ];
    return {
      town, sites: [id], consecutive: n, action, actionLabel: LABELS[action],
      history: months.map((month, i) => ({ month, status: i === 0 ? 'compliant' as const : 'exceeded' as const })),
      rank: townRank.get(id) ?? null, recipients,
    };
  });

  const history: Bulletin["history"] = SECTIONS.flatMap((id) => MONTHS.slice(-13).map((month) => ({ site: id as string, month, cwqi: at(id, month).e.cwqi })))
    .concat([{ site: UNREGISTERED.site, month: FIXTURE_MONTH, cwqi: null }]);
  const floodDaily = SECTIONS.flatMap((id) => Array.from({ length: 31 }, (_, d) => {
    const means = at(id, FIXTURE_MONTH).means;
    // Rain on the 8th–10th and the 22nd washes runoff in: COD and TP rise for a day or two.
    const storm = [7, 8, 9, 21].includes(d) ? 1.25 : 1;
    const day = { ...means, COD: (means.COD as number) * storm * (1 + 0.05 * wobble(d, 3)), TP: (means.TP as number) * storm };
    return { site: id, day: `2023-07-${String(d + 1).padStart(2, '0')}`, cwqi: evaluate(site(id), day).cwqi as number };
  }));

  const cwqis = sections.map((s) => s.cwqi as number);
  const zoneCwqi = cwqis.reduce((a, b) => a + b, 0) / cwqis.length;
  const zoneBase = (by: number) => SECTIONS.reduce((a, id) => a + (at(id, shift(FIXTURE_MONTH, by)).e.cwqi as number), 0) / SECTIONS.length;
  const trend = tnTrend();
  const zone = {
    cwqi: zoneCwqi, yoy: change(zoneCwqi, zoneBase(-12)), mom: change(zoneCwqi, zoneBase(-1)),
    worseThanV: [], worseThanVYearToDate: [],
    yearToDate: { cwqi: zoneCwqi, change: change(zoneCwqi, zoneBase(-12)) },
    goals: [
      { goal: '消除劣V类', met: true, detail: '本月及年初至今均无劣Ⅴ类断面' },
      { goal: '水质指数同比改善', met: (change(zoneCwqi, zoneBase(-12)) ?? 0) < 0, detail: '全区水质指数与去年同月相比' },
      { goal: '四新河出境断面总氮反弹趋势得到遏制', met: trend.verdict !== '反弹', detail: `近24个月总氮月均值 Mann–Kendall 检验：${trend.verdict}` },
    ],
  };
  const b: Bulletin = {
    month: FIXTURE_MONTH, generatedAt: '2023-08-02T01:00:00.000Z', committee: '高新区管委会', replyDeadlineDays: 15, sites, zone, towns, trends: [trend], history, floodDaily,
    data: { problems: [{ site: UNREGISTERED.site, reason: UNREGISTERED.reason }] },
    files: { html: '', json: '', letters: [] },
  };
  return b;
}

export const FIXTURE_OPTIONS = {
  zoneName: '高新区', issuer: '高新区河长制办公室', committee: '高新区管委会', replyBy: '2023-08-16',
} as const;

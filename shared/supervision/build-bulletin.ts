/**
 * Builds the month's bulletin from storage: every site's daily means over the span the bulletin
 * needs (one query per site), the months worked out from them (shared/domain/period-means.ts) and
 * assessed (monthly-assessment.ts); comparisons, rankings, the ladder and the trends from those
 * months; the effluent outlets' samples of the month judged one by one. Reads only: running it
 * again for the same month over the same data gives the same bulletin.
 */
import { type AlertConfig, DEFAULT_ALERT_CONFIG } from '../alerts/config.js';
import { type SupervisionConfig, minDaysFor } from '../config/supervision.js';
import { indexChange, indexOf } from '../domain/cwqi.js';
import { evaluateSample } from '../domain/evaluate.js';
import { effluentMonth } from '../domain/effluent-month.js';
import type { Grade } from '../domain/gb3838.js';
import { PARAMETERS } from '../domain/parameters.js';
import { type LadderAction, type TownMonthStatus, ladderRun, recipientsOf, townMonthStatus } from '../domain/ladder.js';
import { type MonthAssessment, assessMonth, evaluateMeans } from '../domain/monthly-assessment.js';
import { addMonths, firstDay, isMonth, lastDay, monthsBetween } from '../domain/months.js';
import { meanOfMeans, monthlyMeans } from '../domain/period-means.js';
import { meanOf, rankAscending } from '../domain/ranking.js';
import type { Site, SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE, formatInstant, zonedToInstant } from '../domain/time.js';
import { analyseTrend } from '../domain/trend-verdict.js';
import { MAX_REASON_CHARS } from '../limits.js';
import type { PeriodMeans, SampleStore } from '../ports/index.js';
import type { Bulletin, MonthlySiteResult, TownResult, TrendResult, ZoneSummary } from './bulletin.js';

export interface BulletinDeps {
  readonly store: Pick<SampleStore, 'dailyMeans' | 'querySite' | 'sitesReporting'>;
  readonly registry: SiteRegistry;
  readonly config: SupervisionConfig;
  /** The flood-season window for the daily chart (the alert rules' window). */
  readonly alertConfig?: AlertConfig;
  readonly zone?: string;
  readonly now?: () => number;
}

/** What is known about one site over the span: its daily means and its assessed months. */
interface SiteHistory {
  readonly site: Site;
  readonly daily: readonly PeriodMeans[];
  readonly months: ReadonlyMap<string, MonthAssessment>;
}

const isSection = (s: Site) => s.registered && (s.kind === 'river-section' || s.kind === 'lake-section');

export async function buildBulletin(month: string, deps: BulletinDeps): Promise<Bulletin> {
  if (!isMonth(month)) throw new Error(`month '${month.replace(/\p{Cc}/gu, '?').slice(0, MAX_REASON_CHARS)}' is not a month (expected YYYY-MM, e.g. 2023-07)`);
  const { registry, config } = deps;
  const zone = deps.zone ?? DEFAULT_ZONE;
  for (const t of config.trends.targets) {
    if (!registry.get(t.site)) throw new Error(`supervision config: trend target site '${t.site}' is not in the site registry`);
  }

  // The span: the ladder's look-back, 13 months for the chart, January of last year for the year to
  // date; for a trend target also its window and the reference window before it.
  const ytdBack = Number(month.slice(5, 7)) - 1 + 12;
  const baseSpan = Math.max(config.ladder.lookbackMonths, 13, ytdBack + 1);
  const trendSpan = Math.max(baseSpan, config.trends.windowMonths + config.trends.referenceLagMonths);
  const trendSites = new Set(config.trends.targets.map((t) => t.site));

  const reporting = await deps.store.sitesReporting(month);
  const unregistered = reporting.map((id) => registry.resolve(id)).filter((s) => !s.registered);
  const candidates = [...registry.sites, ...unregistered];

  const histories: SiteHistory[] = [];
  for (const site of candidates) {
    const span = trendSites.has(site.id) ? trendSpan : baseSpan;
    const daily = await deps.store.dailyMeans(site.id, firstDay(addMonths(month, 1 - span)), lastDay(month));
    const byMonth = new Map(monthlyMeans(daily).map((m) => [m.period, m]));
    // An unregistered station is listed when it has data this month (a marker may outlive its parts).
    if (!site.registered && !byMonth.has(month)) continue;
    const minDays = minDaysFor(site, config);
    const months = new Map(monthsBetween(addMonths(month, 1 - span), month).map((m) => [m, assessMonth(site, m, byMonth.get(m), minDays)]));
    histories.push({ site, daily, months });
  }

  const sites = await siteResults(month, histories, deps, zone);
  const sections = histories.filter((h) => isSection(h.site));
  const towns = townResults(month, sections, deps);
  const trends = trendResults(month, histories, config);
  return {
    month,
    committee: config.committee,
    replyDeadlineDays: config.replyDeadlineDays,
    generatedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    sites,
    zone: zoneSummary(month, sections, sites, trends, registry, config),
    towns,
    trends,
    history: sections.flatMap((h) => monthsBetween(addMonths(month, -12), month).map((m) => ({ site: h.site.id, month: m, cwqi: h.months.get(m)?.cwqi ?? null }))),
    floodDaily: floodDaily(month, sections, deps.alertConfig ?? DEFAULT_ALERT_CONFIG),
    data: { problems: problems(month, histories, trends, registry) },
    files: { html: '', json: '', letters: [] },
  };
}

const cwqiOf = (h: SiteHistory, m: string) => {
  const a = h.months.get(m);
  return a?.assessed ? a.cwqi : null;
};

/** Year to date: the assessed months 1..M of `month`'s year, their means averaged, then judged. */
function yearToDate(h: SiteHistory, month: string): { means: MonthlySiteResult['yearToDate']['means']; grade: Grade | null; cwqi: number | null } {
  const months = monthsBetween(`${month.slice(0, 4)}-01`, month).flatMap((m) => {
    const a = h.months.get(m);
    return a?.assessed ? [a] : [];
  });
  if (months.length === 0) return { means: {}, grade: null, cwqi: null };
  const means = meanOfMeans(months);
  const e = evaluateMeans(h.site, means);
  return { means, grade: e.grade, cwqi: e.cwqi };
}

async function siteResults(month: string, histories: readonly SiteHistory[], deps: BulletinDeps, zone: string): Promise<MonthlySiteResult[]> {
  const { config } = deps;
  const lastYear = addMonths(month, -12);
  const sectionHistories = histories.filter((h) => isSection(h.site));
  const now = (h: SiteHistory) => h.months.get(month) as MonthAssessment;
  const ranks = rankAscending(sectionHistories.map((h) => ({ key: h.site.id, value: cwqiOf(h, month) })), config.ranking.cwqiDecimals);
  const yoyOf = (h: SiteHistory) => indexChange(cwqiOf(h, month), cwqiOf(h, lastYear));
  const improvement = rankAscending(sectionHistories.map((h) => ({ key: h.site.id, value: yoyOf(h) })), config.ranking.changeDecimals);

  const out: MonthlySiteResult[] = [];
  for (const h of histories) {
    const a = now(h);
    const ytd = yearToDate(h, month);
    const ytdBase = yearToDate(h, lastYear);
    const effluent = h.site.kind === 'effluent-outlet' ? await effluentOf(h.site, month, deps, zone) : undefined;
    out.push({
      site: h.site.id, name: h.site.name, registered: h.site.registered, kind: h.site.kind, town: h.site.town ?? null, month,
      days: a.days, validDays: a.validDays, daysWithValidData: a.daysWithValidData, minDays: a.minDays, assessed: a.assessed,
      ...(a.notAssessedReason ? { notAssessedReason: a.notAssessedReason } : {}),
      means: a.means, grade: a.grade, target: a.target, compliant: a.compliant, cwqi: a.cwqi, contributions: a.contributions,
      exceedances: a.exceedances, mainPollutants: a.mainPollutants,
      yoy: yoyOf(h), mom: indexChange(cwqiOf(h, month), cwqiOf(h, addMonths(month, -1))),
      rank: ranks.get(h.site.id) ?? null, improvementRank: improvement.get(h.site.id) ?? null,
      yearToDate: { ...ytd, change: indexChange(ytd.cwqi, ytdBase.cwqi) },
      ...(effluent ? { effluent } : {}),
    });
  }
  return out;
}

/** An outlet's month, sample by sample: one read of its samples in the month. */
async function effluentOf(site: Site, month: string, deps: BulletinDeps, zone: string) {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const from = zonedToInstant(y, m, 1, 0, 0, 0, 0, zone);
  const next = addMonths(month, 1);
  const to = zonedToInstant(Number(next.slice(0, 4)), Number(next.slice(5, 7)), 1, 0, 0, 0, 0, zone) - 1;
  const judged = [];
  for await (const s of deps.store.querySite(site.id, from, to)) {
    judged.push({ time: formatInstant(s.sample.time, zone), evaluation: evaluateSample(s.sample, site) });
  }
  return effluentMonth(judged);
}

function aggregate(values: readonly number[], how: SupervisionConfig['zoneIndex']['aggregate']): number | null {
  if (values.length === 0) return null;
  if (how === 'mean') return meanOf(values);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The zone's index now against a base, over the sections that have an index in both periods. */
function zoneChange(pairs: readonly (readonly [number | null, number | null])[], how: SupervisionConfig['zoneIndex']['aggregate']): number | null {
  const both = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
  if (both.length === 0) return null;
  return indexChange(aggregate(both.map((p) => p[0]), how), aggregate(both.map((p) => p[1]), how));
}

function zoneSummary(
  month: string, sections: readonly SiteHistory[], sites: readonly MonthlySiteResult[], trends: readonly TrendResult[],
  registry: SiteRegistry, config: SupervisionConfig,
): ZoneSummary {
  const how = config.zoneIndex.aggregate;
  const now = sections.map((h) => cwqiOf(h, month));
  const cwqi = aggregate(now.filter((x): x is number => x !== null), how);
  const yoy = zoneChange(sections.map((h, i) => [now[i] ?? null, cwqiOf(h, addMonths(month, -12))]), how);
  const mom = zoneChange(sections.map((h, i) => [now[i] ?? null, cwqiOf(h, addMonths(month, -1))]), how);
  const sectionResults = sites.filter((s) => sections.some((h) => h.site.id === s.site));
  const ytdNow = sectionResults.map((s) => s.yearToDate.cwqi);
  const ytdBase = sections.map((h) => yearToDate(h, addMonths(month, -12)).cwqi);
  const ytdCwqi = aggregate(ytdNow.filter((x): x is number => x !== null), how);
  const ytdChange = zoneChange(ytdNow.map((x, i) => [x, ytdBase[i] ?? null]), how);
  const worseThanV = sectionResults.filter((s) => s.assessed && s.grade === '劣V').map((s) => s.site);
  const worseThanVYearToDate = sectionResults.filter((s) => s.yearToDate.grade === '劣V').map((s) => s.site);
  const assessedAny = sectionResults.some((s) => s.assessed);
  const pct = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const goals: ZoneSummary['goals'][number][] = [
    {
      goal: '消除劣V类水体',
      met: assessedAny ? worseThanV.length === 0 && worseThanVYearToDate.length === 0 : null,
      detail: !assessedAny ? '本月无可评价断面' : worseThanV.length + worseThanVYearToDate.length === 0 ? '本月及年初至今均无劣V类断面'
        : `劣V类断面：本月 ${worseThanV.map((id) => registry.get(id)?.name ?? id).join('、') || '无'}；年初至今 ${worseThanVYearToDate.map((id) => registry.get(id)?.name ?? id).join('、') || '无'}`,
    },
    {
      goal: '水质指数同比改善',
      met: ytdChange === null ? null : ytdChange < 0,
      detail: ytdChange === null ? '缺少去年同期数据，无法比较'
        : `1—${Number(month.slice(5, 7))}月累计水质指数 ${ytdCwqi?.toFixed(2)}，同比 ${pct(ytdChange)}（负值为改善）`,
    },
    ...trends.map((t) => {
      const name = registry.get(t.site)?.name ?? t.site;
      const param = PARAMETERS[t.param].zh;
      return {
        goal: `${name}${param}反弹趋势得到遏制`,
        met: t.verdictKey === 'insufficient' ? null : config.trends.goalMetBy.includes(t.verdictKey),
        detail: t.verdictKey === 'insufficient' ? `近${config.trends.windowMonths}个月仅 ${t.n} 个月有月均值，不足 ${config.trends.minMonths} 个月`
          : `近${config.trends.windowMonths}个月（${t.from}至${t.to}）Mann-Kendall 检验：${t.verdict}，Sen 斜率 ${t.senSlopePerYear?.toFixed(3)} ${PARAMETERS[t.param].unit ? `${PARAMETERS[t.param].unit}/年` : '/年'}，p=${t.p?.toPrecision(2)}`,
      };
    }),
  ];
  return { cwqi, yoy, mom, worseThanV, worseThanVYearToDate, yearToDate: { cwqi: ytdCwqi, change: ytdChange }, goals };
}

function townResults(month: string, sections: readonly SiteHistory[], deps: BulletinDeps): TownResult[] {
  const { registry, config } = deps;
  const lookback = monthsBetween(addMonths(month, 1 - config.ladder.lookbackMonths), month);
  const towns = registry.towns.filter((t) => sections.some((h) => h.site.town === t.name));
  const ofTown = (name: string) => sections.filter((h) => h.site.town === name);
  const ranks = rankAscending(towns.map((t) => ({
    key: t.name, value: meanOf(ofTown(t.name).flatMap((h) => cwqiOf(h, month) ?? [])),
  })), config.ranking.cwqiDecimals);
  return towns.map((t) => {
    const own = ofTown(t.name);
    const statuses = lookback.map((m): { month: string; status: TownMonthStatus } => ({
      month: m, status: townMonthStatus(own.map((h) => h.months.get(m) as MonthAssessment)),
    }));
    const run = ladderRun(statuses);
    return {
      town: t.name, sites: own.map((h) => h.site.id), consecutive: run.consecutive, action: run.action as LadderAction,
      actionLabel: run.actionLabel, history: run.history, rank: ranks.get(t.name) ?? null,
      recipients: recipientsOf(run.action, t, config.committee),
    };
  });
}

function trendResults(month: string, histories: readonly SiteHistory[], config: SupervisionConfig): TrendResult[] {
  return config.trends.targets.map((target) => {
    const h = histories.find((x) => x.site.id === target.site);
    const series = h ? [...h.months.values()].flatMap((a) => {
      const v = a.means[target.param];
      return a.assessed && v !== undefined ? [{ month: a.month, value: v }] : [];
    }) : [];
    const t = analyseTrend(series, month, config.trends);
    const test = t.now.test;
    const s = test?.s ?? null;
    return {
      site: target.site, param: target.param, n: t.now.series.length,
      from: t.now.series[0]?.month ?? null, to: t.now.series.at(-1)?.month ?? null,
      s, varS: test?.varS ?? null, z: test?.z ?? null, p: test?.p ?? null, senSlopePerYear: t.now.senSlopePerYear,
      direction: s === null ? null : s > 0 ? 'up' : s < 0 ? 'down' : 'none',
      verdict: t.label, verdictKey: t.verdict, series: t.now.series,
      reference: { from: t.reference.from, to: t.reference.to, n: t.reference.series.length, s: t.reference.test?.s ?? null, p: t.reference.test?.p ?? null },
    };
  });
}

/** Daily CWQI of each section on the month's days inside the flood-season window (docs/domain.md#flood-season). */
function floodDaily(month: string, sections: readonly SiteHistory[], alerts: AlertConfig): Bulletin['floodDaily'] {
  const { from, to } = alerts.flood.window;
  const inWindow = (day: string) => {
    const mmdd = day.slice(5);
    return from <= to ? mmdd >= from && mmdd <= to : mmdd >= from || mmdd <= to;
  };
  return sections.flatMap((h) => h.daily.flatMap((d) => {
    if (d.period.slice(0, 7) !== month || !inWindow(d.period)) return [];
    const total = indexOf(d.means, h.site.water).total;
    return total === null ? [] : [{ site: h.site.id, day: d.period, cwqi: total }];
  }));
}

function problems(month: string, histories: readonly SiteHistory[], trends: readonly TrendResult[], registry: SiteRegistry): Bulletin['data']['problems'] {
  const out: { site: string; reason: string }[] = [];
  for (const h of histories) {
    const a = h.months.get(month) as MonthAssessment;
    if (!a.assessed) out.push({ site: h.site.id, reason: a.notAssessedReason ?? '数据不足' });
  }
  for (const t of trends) {
    if (t.verdictKey === 'insufficient') {
      out.push({ site: t.site, reason: `${registry.get(t.site)?.name ?? t.site}${PARAMETERS[t.param].zh}趋势检验数据不足：窗口内仅 ${t.n} 个月有月均值` });
    }
  }
  return out;
}

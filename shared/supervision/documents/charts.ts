/**
 * The bulletin's charts as Vega-Lite specs, compiled to Vega and rendered to SVG on the server by
 * vega's headless View: no canvas, no DOM, no network (every spec carries its data inline).
 */
import stringWidth from 'string-width';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ParamId } from '../../domain/parameters.js';
import type { Bulletin, TrendResult } from '../bulletin.js';
import { FONT_STACK } from './fonts.js';
import { paramZh, unitOf } from './format.js';
import { labelOf, type SiteLabels } from './labels.js';

/** Chart width in CSS pixels: A4's printable width at 96 dpi; the page scales it down if narrower. */
const WIDTH = 680;
/** Indicators named in the contributions chart; the rest are drawn together as 其他. */
const NAMED_CONTRIBUTORS = 6;
const OTHERS = '其他';

export interface ChartSpec {
  /** Stable id (the page's data-chart attribute). */
  readonly id: string;
  readonly spec: TopLevelSpec;
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: WIDTH,
  autosize: { type: 'fit-x', contains: 'padding' },
  background: 'white',
  config: {
    font: FONT_STACK,
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
    legend: { orient: 'bottom', labelFontSize: 12, titleFontSize: 12, labelLimit: 260, columns: 4, symbolType: 'circle' },
    title: { fontSize: 13, anchor: 'start', subtitleFontSize: 11 },
    range: { category: { scheme: 'tableau10' } },
  },
} as const;

/** YYYY-MM → the first of the month at 00:00 UTC (charts use UTC time units: no zone shifts a month). */
const monthDate = (month: string) => `${month}-01T00:00:00Z`;
const monthAxis = { format: '%Y-%m', labelAngle: -40, tickCount: { interval: 'month', step: 1 } } as const;

/** CWQI per section over the last 13 months; a month not assessed breaks the line. */
export function historyChart(bulletin: Bulletin, sections: readonly string[], labels: SiteLabels): ChartSpec | null {
  // A section without a single assessed month would be a legend entry with nothing drawn.
  const drawn = sections.filter((id) => bulletin.history.some((h) => h.site === id && h.cwqi !== null));
  const wanted = new Set(drawn);
  const values = bulletin.history
    .filter((h) => wanted.has(h.site))
    .map((h) => ({ section: labelOf(labels, h.site), month: monthDate(h.month), cwqi: h.cwqi }));
  if (drawn.length === 0) return null;
  return {
    id: 'cwqi-history',
    spec: {
      ...base,
      height: 220,
      data: { values },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null, axis: monthAxis },
        y: { field: 'cwqi', type: 'quantitative', title: '水质指数（CWQI，越小越好）', scale: { zero: false } },
        color: { field: 'section', type: 'nominal', title: null, sort: drawn.map((s) => labelOf(labels, s)) },
      },
    } as TopLevelSpec,
  };
}

/**
 * This month's index of each section split into its indicators' terms (CWQI_i = contribution × CWQI):
 * the bar's length is the section's CWQI and its segments show what drives it (精准降指).
 */
export function contributionsChart(bulletin: Bulletin, sections: readonly string[], labels: SiteLabels): ChartSpec | null {
  const wanted = new Set(sections);
  const terms: { section: string; param: ParamId; term: number }[] = [];
  for (const s of bulletin.sites) {
    if (!wanted.has(s.site) || s.cwqi === null || !s.assessed) continue;
    const cwqi = s.cwqi;
    for (const [param, share] of Object.entries(s.contributions) as [ParamId, number][]) {
      terms.push({ section: labelOf(labels, s.site), param, term: share * cwqi });
    }
  }
  const totals = new Map<ParamId, number>();
  for (const t of terms) totals.set(t.param, (totals.get(t.param) ?? 0) + t.term);
  const named = [...totals].sort((a, b) => b[1] - a[1]).slice(0, NAMED_CONTRIBUTORS).map(([p]) => p);
  const order = [...named.map(paramZh), OTHERS];
  const values = terms.map((t) => {
    const i = named.indexOf(t.param);
    return { section: t.section, indicator: i < 0 ? OTHERS : paramZh(t.param), order: i < 0 ? named.length : i, term: t.term };
  });
  const shown = sections.filter((s) => bulletin.sites.some((r) => r.site === s && r.cwqi !== null && r.assessed));
  if (values.length === 0) return null;
  return {
    id: 'contributions',
    spec: {
      ...base,
      // A number, not { step }: Vega-Lite drops autosize "fit" (with a warning) for a discrete step height.
      height: Math.max(1, shown.length) * 30,
      data: { values },
      encoding: {
        y: { field: 'section', type: 'nominal', title: null, sort: shown.map((s) => labelOf(labels, s)), axis: { labelLimit: 200 } },
      },
      layer: [
        {
          mark: { type: 'bar', tooltip: false },
          encoding: {
            x: { aggregate: 'sum', field: 'term', type: 'quantitative', title: '本月水质指数（各指标分指数叠加）' },
            color: { field: 'indicator', type: 'nominal', title: '指标', sort: order, scale: { domain: order } },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
          encoding: {
            x: { aggregate: 'sum', field: 'term', type: 'quantitative' },
            text: { aggregate: 'sum', field: 'term', type: 'quantitative', format: '.2f' },
          },
        },
      ],
    } as TopLevelSpec,
  };
}

const MONTH_INDEX = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Sen's line through the series: slope per month = senSlopePerYear / 12, intercept the median of
 * x_i − slope·t_i (Sen's usual estimator), t in months since the series' first month.
 */
export function senLine(trend: TrendResult): { month: string; value: number }[] {
  const first = trend.series[0];
  const last = trend.series[trend.series.length - 1];
  if (trend.senSlopePerYear === null || first === undefined || last === undefined) return [];
  const slope = trend.senSlopePerYear / 12;
  const t0 = MONTH_INDEX(first.month);
  const intercept = median(trend.series.map((p) => p.value - slope * (MONTH_INDEX(p.month) - t0)));
  return [first, last].map((p) => ({ month: p.month, value: intercept + slope * (MONTH_INDEX(p.month) - t0) }));
}

/** The monthly means the trend test ran on, with Sen's line and the verdict in the title. */
export function trendChart(trend: TrendResult, labels: SiteLabels, verdictLine: string): ChartSpec {
  const unit = unitOf(trend.param);
  const points = trend.series.map((p) => ({ month: monthDate(p.month), value: p.value, series: '月均值' }));
  const line = senLine(trend).map((p) => ({ month: monthDate(p.month), value: p.value, series: 'Sen 斜率趋势线' }));
  const x = { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null, axis: { ...monthAxis, tickCount: { interval: 'month', step: 2 } } };
  const y = { field: 'value', type: 'quantitative', title: `${paramZh(trend.param)}（${unit}）`, scale: { zero: false } };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: ['月均值', 'Sen 斜率趋势线'], range: ['#4c78a8', '#e45756'] } };
  return {
    id: `trend-${trend.site}-${trend.param}`,
    spec: {
      ...base,
      height: 200,
      title: { text: `${labelOf(labels, trend.site)} ${paramZh(trend.param)}月均值趋势`, subtitle: verdictLine },
      layer: [
        { data: { values: points }, mark: { type: 'line', point: true }, encoding: { x, y, color } },
        { data: { values: line }, mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x, y, color } },
      ],
    } as TopLevelSpec,
  };
}

/** Daily CWQI per section through the month, when the month lies in the flood window. */
export function floodChart(bulletin: Bulletin, sections: readonly string[], labels: SiteLabels): ChartSpec | null {
  const wanted = new Set(sections);
  const values = bulletin.floodDaily
    .filter((d) => wanted.has(d.site))
    .map((d) => ({ section: labelOf(labels, d.site), day: `${d.day}T00:00:00Z`, cwqi: d.cwqi }));
  if (values.length === 0) return null;
  return {
    id: 'flood-daily',
    spec: {
      ...base,
      height: 200,
      data: { values },
      mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', title: null, axis: { format: '%-m月%-d日', labelAngle: -40 } },
        y: { field: 'cwqi', type: 'quantitative', title: '日水质指数（CWQI）', scale: { zero: false } },
        color: { field: 'section', type: 'nominal', title: null, sort: sections.map((s) => labelOf(labels, s)) },
      },
    } as TopLevelSpec,
  };
}

// --- rendering ----------------------------------------------------------------------------------

interface TextMetrics {
  width: (item: { fontSize?: number | string }, text: string) => number;
}

/**
 * Without a canvas vega estimates text at 0.8 em a character, too narrow for Chinese (a full em).
 * vega lets a host replace the measure (vl-convert does); this one counts East Asian wide characters
 * as two columns of about half an em.
 */
function useWideAwareTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (!metrics) throw new Error('vega no longer exports textMetrics: the chart text measure needs a new hook');
  metrics.width = (item, text) => {
    const size = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
    return stringWidth(String(text ?? '')) * 0.56 * size;
  };
}

/** Compiles and renders one chart; vega's warnings and errors fail the render (vega itself only logs them). */
export async function renderChart(chart: ChartSpec): Promise<string> {
  useWideAwareTextMetrics();
  const problems: string[] = [];
  const record = (level: string) => (...args: readonly unknown[]) => {
    problems.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
  };
  let level: number = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: record('error'), warn: record('warn'), info: () => logger, debug: () => logger,
  };
  const compiled = compile(chart.spec, { logger: logger as never });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger: logger as never });
  try {
    const svg = await view.toSVG();
    if (problems.length > 0) throw new Error(`chart '${chart.id}' did not render cleanly: ${problems.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * bulletin.html: the month on one self-contained page (inline CSS and SVG; no script, no network),
 * in Chinese. Every text from data passes through `html` (escaped) and `pageText` (cleaned, bounded,
 * formula-inert); numbers are formatted here from the unrounded data.
 */
import { MAX_REASON_CHARS, MAX_SITE_NAME_CHARS } from '../../limits.js';
import type { Bulletin, EffluentMonth, MonthlySiteResult, TownResult, TrendResult } from '../bulletin.js';
import {
  ACTION_ZH, DASH, changeClass, changeText, conc, cwqiText, gradeText, limitText, monthZh, multipleText,
  paramZh, shareText, siteKindZh, unitOf, valueWithUnit,
} from './format.js';
import { basisText, exceededSites, localMinute } from './findings.js';
import { isSection, labelOf, sectionsInOrder, type SiteLabels } from './labels.js';
import { PAGE_CSS } from './styles.js';
import { html, pageText, SafeHtml } from './text.js';

/** A rendered chart: its id, caption and SVG markup (vega escapes the text it draws). */
export interface RenderedChart {
  readonly id: string;
  readonly caption: string;
  readonly svg: SafeHtml;
}

export interface PageCharts {
  readonly history: RenderedChart | null;
  readonly contributions: RenderedChart | null;
  readonly trends: readonly RenderedChart[];
  readonly flood: RenderedChart | null;
  /** Sections left out of the charts (beyond MAX_CHART_SECTIONS). */
  readonly omitted: number;
}

export interface PageOptions {
  /** The zone, as the title names it (e.g. 高新区). */
  readonly zoneName: string;
  /** Who publishes the bulletin (the footer). */
  readonly issuer: string;
}

const name = (labels: SiteLabels, site: string) => labelOf(labels, site);
const data = (text: string) => pageText(text, MAX_SITE_NAME_CHARS);
const reason = (text: string) => pageText(text, MAX_REASON_CHARS);

function grade(g: MonthlySiteResult['grade'], assessed = true): SafeHtml {
  if (!assessed) return html`<span class="grade g-none">数据不足</span>`;
  return html`<span class="grade g-${g ?? 'none'}">${gradeText(g)}</span>`;
}

function change(v: number | null): SafeHtml {
  return html`<span class="${changeClass(v)}">${changeText(v)}</span>`;
}

function compliance(c: boolean | null): SafeHtml {
  return c === null ? html`<span class="flat">${DASH}</span>` : c ? html`<span class="met">达标</span>` : html`<span class="unmet">超标</span>`;
}

function figure(chart: RenderedChart | null): SafeHtml {
  if (chart === null) return html`<p class="note">本月没有可绘制的评价数据。</p>`;
  return html`<figure class="chart" data-chart="${chart.id}"><figcaption>${chart.caption}</figcaption>${chart.svg}</figure>`;
}

function generatedAt(iso: string): string {
  return localMinute(iso) ?? data(iso);
}

function summary(b: Bulletin, labels: SiteLabels, charts: PageCharts): SafeHtml {
  const z = b.zone;
  const list = (ids: readonly string[]) => (ids.length === 0 ? '无' : ids.map((id) => name(labels, id)).join('、'));
  return html`<section id="summary"><h2>一、总体情况</h2>
<div class="cards">
  <div class="card"><div class="k">全区水质指数（各断面均值）</div><div class="v">${cwqiText(z.cwqi)}</div></div>
  <div class="card"><div class="k">同比（去年同月）</div><div class="v">${change(z.yoy)}</div></div>
  <div class="card"><div class="k">环比（上月）</div><div class="v">${change(z.mom)}</div></div>
</div>
<p>本月劣Ⅴ类断面：${list(z.worseThanV)}；年初至今劣Ⅴ类断面：${list(z.worseThanVYearToDate)}。</p>
<table class="goals"><caption>年度目标完成情况</caption>
<thead><tr><th class="name">目标</th><th>完成情况</th><th class="name">说明</th></tr></thead>
<tbody>${z.goals.map((g) => html`<tr><td class="name">${reason(g.goal)}</td><td>${g.met === null ? html`<span class="flat">无法判断</span>` : g.met ? html`<span class="met">达成</span>` : html`<span class="unmet">未达成</span>`}</td><td class="name">${reason(g.detail)}</td></tr>`)}</tbody>
</table>
<p class="note">水质指数（CWQI）越小水质越好；同比、环比为指数变化率，负值表示改善、正值表示变差。</p>
${figure(charts.history)}
${charts.omitted > 0 ? html`<p class="note">另有 ${charts.omitted} 个断面未绘入图表，见下表。</p>` : ''}
</section>`;
}

function rankingTables(b: Bulletin, labels: SiteLabels): SafeHtml {
  const ranked = b.sites.filter((s) => s.rank !== null).sort((a, c) => (a.rank as number) - (c.rank as number));
  const improved = b.sites.filter((s) => s.improvementRank !== null)
    .sort((a, c) => (a.improvementRank as number) - (c.improvementRank as number));
  const towns = [...b.towns].sort((a, c) => (a.rank ?? Infinity) - (c.rank ?? Infinity) || a.town.localeCompare(c.town, 'zh-CN'));
  return html`<section id="ranking"><h2>二、排名</h2>
<table class="rank-cwqi"><caption>断面水质排名（按本月水质指数，1 为最好）</caption>
<thead><tr><th>排名</th><th class="name">断面</th><th class="name">责任镇（中心）</th><th>水质类别</th><th>目标</th><th>水质指数</th><th>同比</th><th>环比</th><th class="name">主要污染物</th></tr></thead>
<tbody>${ranked.map((s) => html`<tr data-site="${s.site}"><td>${s.rank}</td><td class="name">${name(labels, s.site)}</td><td class="name">${data(s.town ?? DASH)}</td><td>${grade(s.grade)}</td><td>${gradeText(s.target)}</td><td class="num">${cwqiText(s.cwqi)}</td><td class="num">${change(s.yoy)}</td><td class="num">${change(s.mom)}</td><td class="name">${s.mainPollutants.map(paramZh).join('、') || DASH}</td></tr>`)}</tbody>
</table>
<table class="rank-improvement"><caption>断面改善排名（按水质指数同比变化，降幅最大者为 1）</caption>
<thead><tr><th>排名</th><th class="name">断面</th><th>水质指数</th><th>同比变化</th><th>1–${Number(b.month.slice(5, 7))}月累计变化</th></tr></thead>
<tbody>${improved.length === 0 ? html`<tr><td colspan="5">无去年同期数据，暂不排名</td></tr>` : improved.map((s) => html`<tr data-site="${s.site}"><td>${s.improvementRank}</td><td class="name">${name(labels, s.site)}</td><td class="num">${cwqiText(s.cwqi)}</td><td class="num">${change(s.yoy)}</td><td class="num">${change(s.yearToDate.change)}</td></tr>`)}</tbody>
</table>
<table class="rank-towns"><caption>乡镇（中心）排名（按所辖断面水质指数均值）</caption>
<thead><tr><th>排名</th><th class="name">乡镇（中心）</th><th class="name">所辖断面</th><th>连续超标月数</th><th>督导措施</th></tr></thead>
<tbody>${towns.map((t) => html`<tr data-town="${data(t.town)}"><td>${t.rank ?? DASH}</td><td class="name">${data(t.town)}</td><td class="name">${t.sites.map((s) => name(labels, s)).join('、')}</td><td>${t.consecutive}</td><td>${t.action === 'none' ? '无' : html`<span class="action">${data(t.actionLabel || ACTION_ZH[t.action])}</span>`}</td></tr>`)}</tbody>
</table>
</section>`;
}

function siteTable(b: Bulletin, labels: SiteLabels, charts: PageCharts): SafeHtml {
  const sections = sectionsInOrder(b, labels);
  const others = b.sites.filter((s) => !isSection(s));
  const m = Number(b.month.slice(5, 7));
  return html`<section id="sites"><h2>三、各点位水质</h2>
<table class="sites"><caption>${monthZh(b.month)}各点位水质（月均值评价）</caption>
<thead><tr><th class="name">点位</th><th>类型</th><th>有数据天数</th><th>水质类别</th><th>达标</th><th>水质指数</th><th>同比</th><th>环比</th><th>1–${m}月类别</th><th>1–${m}月指数</th></tr></thead>
<tbody>${[...sections, ...others].map((s) => html`<tr data-site="${s.site}"><td class="name">${name(labels, s.site)}${s.registered ? '' : html`<br><span class="flat">（未登记站点）</span>`}</td><td>${siteKindZh(s.kind)}</td><td>${s.days}</td><td>${grade(s.grade, s.assessed)}</td><td>${compliance(s.compliant)}</td><td class="num">${cwqiText(s.cwqi)}</td><td class="num">${change(s.yoy)}</td><td class="num">${change(s.mom)}</td><td>${grade(s.yearToDate.grade)}</td><td class="num">${cwqiText(s.yearToDate.cwqi)}</td></tr>`)}</tbody>
</table>
<h3>各断面水质指数构成（精准降指：分指数越大，对指数贡献越大）</h3>
${figure(charts.contributions)}
</section>`;
}

function exceededSection(b: Bulletin, labels: SiteLabels): SafeHtml {
  const rows = exceededSites(b.sites).flatMap(({ site, findings }) => findings.map((f) => ({ site, f })));
  const actions = b.towns.filter((t) => t.action !== 'none');
  return html`<section id="exceeded"><h2>四、超标断面与督导措施</h2>
<table class="exceedances"><caption>超标点位及超标指标（对照目标类别限值或出水限值）</caption>
<thead><tr><th class="name">点位</th><th>水质类别</th><th>指标</th><th>依据</th><th>监测值</th><th>限值</th><th>超标倍数</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="7">本月无超标点位</td></tr>` : rows.map(({ site: s, f }) => html`<tr data-site="${s.site}"><td class="name">${name(labels, s.site)}</td><td>${grade(s.grade)}</td><td>${paramZh(f.exceedance.param)}</td><td class="name">${basisText(f)}</td><td class="num">${valueWithUnit(f.exceedance.param, f.exceedance.value)}</td><td class="num">${limitText(f.exceedance)}</td><td class="num">${multipleText(f.exceedance.multiple)}</td></tr>`)}</tbody>
</table>
<table class="actions"><caption>督导考核措施</caption>
<thead><tr><th class="name">乡镇（中心）</th><th class="name">超标点位</th><th>连续超标月数</th><th class="name">逐月情况</th><th>措施</th><th class="name">对象</th></tr></thead>
<tbody>${actions.length === 0 ? html`<tr><td colspan="6">本月无督导措施</td></tr>` : actions.map((t) => actionRow(b, t, labels))}</tbody>
</table>
</section>`;
}

const STATUS_ZH = { exceeded: '超标', compliant: '达标', 'insufficient-data': '数据不足' } as const;

function actionRow(b: Bulletin, t: TownResult, labels: SiteLabels): SafeHtml {
  const over = t.sites.filter((id) => b.sites.some((s) => s.site === id && s.compliant === false));
  return html`<tr data-town="${data(t.town)}" data-action="${t.action}"><td class="name">${data(t.town)}</td><td class="name">${(over.length > 0 ? over : t.sites).map((s) => name(labels, s)).join('、')}</td><td>${t.consecutive}</td><td class="name">${t.history.map((h) => `${monthZh(h.month)}${STATUS_ZH[h.status]}`).join('，')}</td><td><span class="action">${data(t.actionLabel || ACTION_ZH[t.action])}</span></td><td class="name">${t.recipients.map((r) => `${data(r.role)} ${data(r.name)}`).join('；') || DASH}</td></tr>`;
}

function worstSample(e: EffluentMonth): SafeHtml {
  if (!e.worst) return html`${DASH}`;
  const when = localMinute(e.worst.time) ?? data(e.worst.time);
  const what = e.worst.exceedances.map((x) => `${paramZh(x.param)} ${valueWithUnit(x.param, x.value)}（限值 ${conc(x.limit)}，超标${multipleText(x.multiple)}）`).join('；');
  return html`${when}，${gradeText(e.worst.grade)}${what ? `：${what}` : '，未超标'}`;
}

function effluentSection(b: Bulletin, labels: SiteLabels): SafeHtml {
  const plants = b.sites.filter((s) => s.effluent !== undefined);
  return html`<section id="effluent"><h2>五、污水处理厂出水达标情况</h2>
<p class="note">出水须稳定达到地表水Ⅳ类（逐个样品判定，每个样品均须达标）。</p>
<table class="effluent"><thead><tr><th class="name">点位</th><th>样品数</th><th>达标样品</th><th>达标率</th><th>月均值类别</th><th class="name">最差样品</th></tr></thead>
<tbody>${plants.length === 0 ? html`<tr><td colspan="6">本月无出水监测数据</td></tr>` : plants.map((s) => {
    const e = s.effluent as EffluentMonth;
    return html`<tr data-site="${s.site}"><td class="name">${name(labels, s.site)}</td><td>${e.samples}</td><td>${e.compliantSamples}</td><td class="num ${e.compliantShare !== null && e.compliantShare < 1 ? 'worse' : ''}">${shareText(e.compliantShare)}</td><td>${grade(s.grade, s.assessed)}</td><td class="name">${worstSample(e)}</td></tr>`;
  })}</tbody>
</table>
</section>`;
}

function trendSection(b: Bulletin, labels: SiteLabels, charts: PageCharts): SafeHtml {
  return html`<section id="trend"><h2>六、趋势分析（Mann–Kendall 检验与 Sen 斜率）</h2>
<table class="trends"><thead><tr><th class="name">点位</th><th>指标</th><th>月数</th><th>时段</th><th>S</th><th>Z</th><th>p</th><th>Sen 斜率（每年）</th><th>结论</th></tr></thead>
<tbody>${b.trends.length === 0 ? html`<tr><td colspan="9">未配置趋势分析</td></tr>` : b.trends.map((t) => html`<tr data-site="${t.site}"><td class="name">${name(labels, t.site)}</td><td>${paramZh(t.param)}</td><td>${t.n}</td><td>${t.from && t.to ? `${t.from} 至 ${t.to}` : DASH}</td><td class="num">${t.s ?? DASH}</td><td class="num">${t.z === null ? DASH : t.z.toFixed(2)}</td><td class="num">${t.p === null ? DASH : t.p < 0.001 ? '< 0.001' : t.p.toFixed(3)}</td><td class="num">${t.senSlopePerYear === null ? DASH : `${conc(t.senSlopePerYear)} ${unitOf(t.param)}`}</td><td><b>${data(t.verdict)}</b></td></tr>`)}</tbody>
</table>
${charts.trends.map(figure)}
</section>`;
}

function floodSection(charts: PageCharts): SafeHtml | '' {
  if (!charts.flood) return '';
  return html`<section id="flood"><h2>七、汛期断面日水质指数</h2>
<p class="note">汛期严防断面水质指数大幅波动；逐日水质指数由当日有效数据的日均浓度计算。</p>
${figure(charts.flood)}
</section>`;
}

function problemsSection(b: Bulletin, labels: SiteLabels, n: string): SafeHtml {
  return html`<section id="data-problems"><h2>${n}、数据问题</h2>
${b.data.problems.length === 0 ? html`<p>本月各点位数据完整，均已评价。</p>` : html`<ul class="problems">${b.data.problems.map((p) => html`<li data-site="${p.site}"><b>${name(labels, p.site)}</b>：${reason(p.reason)}（本月未评价，不计为达标）</li>`)}</ul>`}
</section>`;
}

/** The verdict line a trend chart carries (also its caption). */
export function verdictLine(t: TrendResult): string {
  if (t.z === null || t.p === null || t.senSlopePerYear === null) return `Mann–Kendall 检验：${data(t.verdict)}（${t.n} 个月）`;
  return `Mann–Kendall 检验：${data(t.verdict)}（n = ${t.n}，Z = ${t.z.toFixed(2)}，p ${t.p < 0.001 ? '< 0.001' : `= ${t.p.toFixed(3)}`}，Sen 斜率 ${conc(t.senSlopePerYear)} ${unitOf(t.param)}/年）`;
}

export function renderPage(b: Bulletin, labels: SiteLabels, charts: PageCharts, options: PageOptions): string {
  const title = `${data(options.zoneName)}${monthZh(b.month)}地表水环境质量通报`;
  const page = html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new SafeHtml(PAGE_CSS)}</style></head>
<body>
<header><h1>${title}</h1><p>${data(options.issuer)} · 生成于 ${generatedAt(b.generatedAt)}</p></header>
${summary(b, labels, charts)}
${rankingTables(b, labels)}
${siteTable(b, labels, charts)}
${exceededSection(b, labels)}
${effluentSection(b, labels)}
${trendSection(b, labels, charts)}
${floodSection(charts)}
${problemsSection(b, labels, charts.flood ? '八' : '七')}
<footer>本通报由碧水（bishui）根据监测数据自动生成；月均值为各日有效数据日均值的平均，按 GB 3838-2002 单因子法评价，水质指数按《城市地表水环境质量排名技术规定（试行）》计算。</footer>
</body></html>
`;
  return page.markup;
}

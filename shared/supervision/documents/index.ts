/**
 * The month's documents from a Bulletin: bulletin.html, bulletin.json and one .docx letter per ladder
 * action, named relative to reports/YYYY-MM/ (see names.ts). Pure: no I/O; the caller stores them.
 */
import * as z from 'zod/mini';
import '../../domain/zod-messages.js';
import { localDate } from '../../domain/time.js';
import type { Bulletin } from '../bulletin.js';
import { contributionsChart, floodChart, historyChart, renderChart, trendChart, type ChartSpec } from './charts.js';
import { monthZh, paramZh } from './format.js';
import { bulletinJson } from './json.js';
import { chartedSections, labelOf, siteLabels } from './labels.js';
import { renderLetter } from './letters.js';
import { HTML_NAME, JSON_NAME, letterName, lettered } from './names.js';
import { renderPage, verdictLine, type RenderedChart } from './page.js';
import { trustedMarkup } from './text.js';

export { documentNames, HTML_NAME, JSON_NAME, LETTERS_DIR } from './names.js';

export interface DocumentFile {
  /** Relative to reports/YYYY-MM/. */
  readonly name: string;
  readonly contentType: string;
  readonly body: Uint8Array | string;
}

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'), z.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real calendar date'));
const name = z.string().check(z.minLength(1), z.maxLength(100));

export const documentOptionsSchema = z.strictObject({
  /** The zone, as titles name it (e.g. 高新区). */
  zoneName: name,
  /** Who publishes the bulletin and signs the letters (e.g. 高新区河长制办公室). */
  issuer: name,
  /** The zone committee, copied on reminder letters (e.g. 高新区管委会). */
  committee: name,
  /** The letters' reply deadline (computed by the caller from config). */
  replyBy: isoDate,
  /** The letters' date; default: the bulletin's generatedAt, as a date in Asia/Shanghai. */
  issuedOn: z.optional(isoDate),
});

export type SupervisionDocumentOptions = z.infer<typeof documentOptionsSchema>;

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** A chart with nothing to draw (a month without assessed data) is left out, not drawn empty. */
async function rendered(chart: ChartSpec | null, caption: string): Promise<RenderedChart | null> {
  return chart === null ? null : { id: chart.id, caption, svg: trustedMarkup(await renderChart(chart)) };
}

export async function renderSupervisionDocuments(
  bulletin: Bulletin, options: SupervisionDocumentOptions,
): Promise<{ files: DocumentFile[] }> {
  const parsed = documentOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`supervision documents: options are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const o = parsed.data;
  const generated = Date.parse(bulletin.generatedAt);
  const issuedOn = o.issuedOn ?? (Number.isNaN(generated) ? undefined : localDate(generated));
  if (issuedOn === undefined) throw new Error(`supervision documents: generatedAt '${bulletin.generatedAt}' is not a time and no issuedOn was given`);

  const labels = siteLabels(bulletin);
  const { shown, omitted } = chartedSections(bulletin, labels);
  const ids = shown.map((s) => s.site);
  const month = monthZh(bulletin.month);
  // One chart at a time: rendering is CPU-bound, running them together would gain nothing.
  const history = await rendered(historyChart(bulletin, ids, labels), `各断面水质指数近13个月变化（${month}止）`);
  const contributions = await rendered(contributionsChart(bulletin, ids, labels), `${month}各断面水质指数构成（分指数 = 贡献率 × 水质指数）`);
  const trends: RenderedChart[] = [];
  for (const t of bulletin.trends.filter((t) => t.series.length > 0)) {
    const line = verdictLine(t);
    const chart = await rendered(trendChart(t, labels, line), `${labelOf(labels, t.site)}${paramZh(t.param)}近${t.n}个月月均值与 Sen 斜率趋势线`);
    if (chart) trends.push(chart);
  }
  const flood = await rendered(floodChart(bulletin, ids, labels), `${month}汛期各断面日水质指数`);

  const html = renderPage(bulletin, labels, { history, contributions, trends, flood, omitted }, { zoneName: o.zoneName, issuer: o.issuer });
  const letterOptions = { issuer: o.issuer, committee: o.committee, zoneName: o.zoneName, replyBy: o.replyBy, issuedOn };
  const letters: DocumentFile[] = [];
  for (const [i, town] of lettered(bulletin).entries()) {
    letters.push({ name: letterName(i, town), contentType: CONTENT_TYPES.docx, body: await renderLetter(bulletin, town, letterOptions) });
  }
  return {
    files: [
      { name: HTML_NAME, contentType: CONTENT_TYPES.html, body: html },
      { name: JSON_NAME, contentType: CONTENT_TYPES.json, body: bulletinJson(bulletin) },
      ...letters,
    ],
  };
}

/**
 * How the documents name sites: the registered Chinese name, cleaned and bounded; a name two sites
 * share gets the site id appended, so a table row, a chart line and its legend entry stay one site.
 */
import { MAX_CHART_SECTIONS, MAX_SITE_NAME_CHARS } from '../../limits.js';
import type { Bulletin, MonthlySiteResult } from '../bulletin.js';
import { pageText } from './text.js';

export type SiteLabels = ReadonlyMap<string, string>;

export function siteLabels(bulletin: Bulletin): SiteLabels {
  const base = new Map(bulletin.sites.map((s) => [s.site, pageText(s.name || s.site, MAX_SITE_NAME_CHARS)]));
  const count = new Map<string, number>();
  for (const name of base.values()) count.set(name, (count.get(name) ?? 0) + 1);
  return new Map([...base].map(([id, name]) => [id, (count.get(name) ?? 0) > 1 ? `${name}（${pageText(id, MAX_SITE_NAME_CHARS)}）` : name]));
}

/** A site's label; a site the bulletin does not list (history only) is named by its id. */
export function labelOf(labels: SiteLabels, site: string): string {
  return labels.get(site) ?? pageText(site, MAX_SITE_NAME_CHARS);
}

export function isSection(s: MonthlySiteResult): boolean {
  return s.kind === 'river-section' || s.kind === 'lake-section';
}

/** Sections in the order the page lists them: ranked first (best first), then the others by label. */
export function sectionsInOrder(bulletin: Bulletin, labels: SiteLabels): MonthlySiteResult[] {
  return bulletin.sites.filter(isSection).sort((a, b) =>
    (a.rank ?? Infinity) - (b.rank ?? Infinity) || labelOf(labels, a.site).localeCompare(labelOf(labels, b.site), 'zh-CN', { numeric: true }));
}

/**
 * The sections the charts draw: those with an index this month or in the history, registered ones
 * first, at most MAX_CHART_SECTIONS; `omitted` counts the others with data.
 */
export function chartedSections(bulletin: Bulletin, labels: SiteLabels): { shown: MonthlySiteResult[]; omitted: number } {
  const withHistory = new Set(bulletin.history.filter((h) => h.cwqi !== null).map((h) => h.site));
  const ordered = sectionsInOrder(bulletin, labels).filter((s) => s.cwqi !== null || withHistory.has(s.site));
  const all = [...ordered.filter((s) => s.registered), ...ordered.filter((s) => !s.registered)];
  return { shown: all.slice(0, MAX_CHART_SECTIONS), omitted: Math.max(0, all.length - MAX_CHART_SECTIONS) };
}

/**
 * A station report often names its site once, above the table rather than in a column: a metadata
 * line (`站点名称：赵牛河断面`, `断面名称,四新河出境断面`) or a title (`赵牛河断面小时数据报表`).
 * Read from the rows before the header; used when no column names the site, before the S3 key.
 */
import type { SiteRegistry } from '../domain/sites.js';

const LABELS = ['站点名称', '断面名称', '监测点位', '点位名称', '监测断面', '监测点位名称', '测站名称', '监测站点',
  '站点', '断面', '点位', '监测点', '站名', 'site', 'sitename', 'station', 'stationname', 'section', 'sectionname'];
const LABEL = new RegExp(`^(?:${LABELS.join('|')})$`, 'i');
/** `站点名称：赵牛河断面`, ASCII or full-width colon, the value running to a gap or the next label. */
const LABEL_VALUE = new RegExp(`^(?:${LABELS.join('|')})\\s*[:：]\\s*(.*)$`, 'is');
const VALUE_END = /\s{2,}|\s+[^\s:：]+[:：]|[,，;；|]/;

export interface FileSite {
  /** The site as written (metadata) or the registered site's id (title). */
  readonly site: string;
  readonly from: 'metadata' | 'title';
}

const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').replace(/[:：]$/, '');

/** The site a metadata line names, as written (it may be unregistered). */
export function metadataSite(cells: readonly string[]): string | undefined {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!.trim();
    if (cell === '') continue;
    const m = LABEL_VALUE.exec(cell);
    if (m) {
      const value = (m[1] ?? '').split(VALUE_END)[0]!.trim();
      if (value !== '') return value;
      // `站点名称：` with the value in the next cell
    } else if (!LABEL.test(squash(cell))) {
      continue;
    }
    const next = cells.slice(i + 1).find((c) => c.trim() !== '')?.trim();
    if (next) return next;
  }
  return undefined;
}

/** The registered site a title row names (the longest registered name or alias it contains). */
export function titleSite(cells: readonly string[], registry: SiteRegistry): string | undefined {
  const text = cells.find((c) => c.trim() !== '');
  if (text === undefined) return undefined;
  return registry.findInPath(text)?.id;
}

/** What a row above the header says about the file's site, if anything. */
export function fileSiteOf(cells: readonly string[], registry: SiteRegistry): FileSite | undefined {
  const meta = metadataSite(cells);
  if (meta !== undefined) return { site: meta, from: 'metadata' };
  const title = titleSite(cells, registry);
  return title === undefined ? undefined : { site: title, from: 'title' };
}

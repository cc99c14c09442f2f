/**
 * What a document names as a site's exceedances: those of the month's means; for an effluent outlet
 * whose means comply but whose samples did not (every sample must comply), those of its worst sample.
 */
import type { Exceedance } from '../../domain/evaluate.js';
import { formatInstant } from '../../domain/time.js';
import type { MonthlySiteResult } from '../bulletin.js';

export interface Finding {
  readonly exceedance: Exceedance;
  /** Where the value comes from: the month's mean, or one sample (its local time, YYYY-MM-DD HH:mm). */
  readonly basis: { readonly kind: 'month' } | { readonly kind: 'sample'; readonly time: string };
}

export function localMinute(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : formatInstant(ms).slice(0, 16).replace('T', ' ');
}

export function findings(s: MonthlySiteResult): Finding[] {
  if (s.exceedances.length > 0) return s.exceedances.map((exceedance) => ({ exceedance, basis: { kind: 'month' } }));
  const worst = s.effluent?.worst;
  if (s.compliant !== false || !worst) return [];
  const time = localMinute(worst.time) ?? '';
  return worst.exceedances.map((exceedance) => ({ exceedance, basis: { kind: 'sample', time } }));
}

/** Sites that did not comply this month, with what the documents name for each. */
export function exceededSites(sites: readonly MonthlySiteResult[]): { site: MonthlySiteResult; findings: Finding[] }[] {
  return sites.filter((s) => s.compliant === false).map((site) => ({ site, findings: findings(site) }));
}

/** 月均值 / 单个样品（2023-07-12 09:00） */
export function basisText(f: Finding): string {
  return f.basis.kind === 'month' ? '月均值' : `单个样品（${f.basis.time}）`;
}

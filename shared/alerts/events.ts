/**
 * What the rules announce, before it is worded: one exceedance event per site and reading (every
 * indicator over target in it, worst first), one recovery event per site and reading, a late
 * file's digest, suspect data, flood-season swings. Severity is judged here, from each indicator's
 * own GB 3838 class and exceedance multiple.
 */
import type { Exceedance } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import { gradeRank } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { FluctuationEvent } from './flood-rule.js';
import type { LateHit } from './site-state.js';

export type Severity = 'info' | 'warning' | 'critical';

/** One indicator over target in a reading, and what the reading means for its episode. */
export interface ExceedanceItem {
  readonly exceedance: Exceedance;
  /** The indicator's own GB 3838 class (not the sample's grade). */
  readonly cls: Grade | null;
  /** opened, worse or reminder: this indicator is why the reading is announced; ongoing: named beside them. */
  readonly phase: 'opened' | 'worse' | 'reminder' | 'ongoing';
  /** When this indicator's episode opened. */
  readonly since: number;
  /** Recent valid values of the indicator, oldest first. */
  readonly trend: readonly (readonly [number, number])[];
}

export interface RecoveryItem {
  readonly param: ParamId;
  readonly since: number;
  readonly value: number;
  readonly limit: number;
}

export type AlertEvent =
  | { readonly kind: 'exceedance'; readonly site: string; readonly time: number; readonly grade: Grade | null; readonly items: readonly ExceedanceItem[] }
  | { readonly kind: 'recovery'; readonly site: string; readonly time: number; readonly items: readonly RecoveryItem[] }
  /** Exceedances in readings that arrived late (after later ones were judged), one digest per file and site. */
  | { readonly kind: 'late-exceedance'; readonly site: string; readonly file: string; readonly hits: readonly LateHit[]; readonly more: number }
  | { readonly kind: 'suspect-data'; readonly problem: 'gap'; readonly site: string; readonly time: number; readonly from: number }
  /** Still silent now (the scheduled watchdog), as opposed to a gap seen when data resumed. */
  | { readonly kind: 'suspect-data'; readonly problem: 'silent'; readonly site: string; readonly time: number; readonly from: number; readonly reminder: boolean }
  | { readonly kind: 'suspect-data'; readonly problem: 'flagged-run'; readonly site: string; readonly time: number; readonly from: number; readonly flags: string[] }
  | { readonly kind: 'suspect-data'; readonly problem: 'flat-line'; readonly site: string; readonly time: number; readonly param: ParamId; readonly value: number; readonly readings: number }
  | { readonly kind: 'suspect-data'; readonly problem: 'near-zero'; readonly site: string; readonly time: number; readonly param: ParamId; readonly value: number; readonly limit: number; readonly previous: number };

export type AnyEvent = AlertEvent | FluctuationEvent;

/** Critical only for an indicator in 劣V or at a multiple ≥ 1 of its own limit; otherwise a warning. */
export function indicatorSeverity(x: { readonly cls: Grade | null; readonly multiple: number | null }): Severity {
  return x.cls === '劣V' || (x.multiple !== null && x.multiple >= 1) ? 'critical' : 'warning';
}

/** Severities, least first: a severity's rank is its place here. */
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** The worst of them; info for none. */
export function worstSeverity(list: readonly Severity[]): Severity {
  return SEVERITIES[Math.max(0, ...list.map(rank))] as Severity;
}

/** Worst first: critical before warning, then the worse class, then the larger multiple (none last). */
export function worstFirst(a: { cls: Grade | null; multiple: number | null }, b: { cls: Grade | null; multiple: number | null }): number {
  const bySeverity = rank(indicatorSeverity(b)) - rank(indicatorSeverity(a));
  if (bySeverity !== 0) return bySeverity;
  const byClass = (b.cls ? gradeRank(b.cls) : -1) - (a.cls ? gradeRank(a.cls) : -1);
  if (byClass !== 0) return byClass;
  return (b.multiple ?? -1) - (a.multiple ?? -1); // multiples are ≥ 0; none (pH, DO) last
}

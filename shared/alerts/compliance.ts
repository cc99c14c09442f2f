/**
 * Compliance episodes, one reading at a time. Per indicator: open on the first valid exceedance,
 * remind at most every reminderHours, update at once when worse (into 劣V, or a higher multiple
 * band), close after recoveryStreak consecutive compliant valid readings. Per reading: one
 * exceedance event naming every indicator over target (worst first) when any of them is news, and
 * one recovery event for the indicators that recovered.
 *
 * Lateness: a reading no later than the latest judged for an indicator drives no episode (late,
 * repeated or overlapping files never reopen or close one). Its exceedance is reported once in its
 * file's late digest — unless that hour's exceedance of the indicator was reported already (the
 * same hour from an HJ 212 log and a CSV export, a file sent twice).
 */
import type { Evaluation, Exceedance } from '../domain/evaluate.js';
import { indicatorClasses } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { isValidFlag } from '../domain/sample.js';
import type { Site } from '../domain/sites.js';
import { ALERT_MAX_REPORTED_INTERVALS } from '../limits.js';
import type { AlertConfig } from './config.js';
import { type AlertEvent, type ExceedanceItem, type RecoveryItem, worstFirst } from './events.js';
import { addInterval, covers } from './intervals.js';
import type { LateHit, SiteAlertState, Tracker } from './site-state.js';
import { nearZero } from './suspect-rules.js';

const HOUR = 3_600_000;
const TREND = 6;

export function validParams(sample: Sample): ParamId[] {
  return (Object.keys(sample.values) as ParamId[]).filter((p) => isValidFlag(sample.flags[p]));
}

/** How many band edges the multiple has reached (none for pH and DO, which have no multiple: the edges are positive). */
function bandOf(multiple: number | null, bands: readonly number[]): number {
  return bands.filter((edge) => (multiple ?? 0) >= edge).length;
}

/** Marks the reading's hour as reported for the indicator; false when it was already. */
function markReported(state: SiteAlertState, param: ParamId, time: number): boolean {
  const hour = Math.floor(time / HOUR);
  const reported = (state.reported ??= {});
  const list = reported[param] ?? [];
  if (covers(list, hour)) return false;
  reported[param] = addInterval(list, hour, hour, ALERT_MAX_REPORTED_INTERVALS, 1);
  return true;
}

interface Reading {
  readonly state: SiteAlertState;
  readonly site: Site;
  readonly sample: Sample;
  readonly config: AlertConfig;
  readonly items: ExceedanceItem[];
  readonly recovered: RecoveryItem[];
}

/**
 * Judges one reading for compliance: its events go to `events` (near-zero falls, then the
 * exceedance, then the recovery), its late exceedances to `late`.
 */
export function judgeCompliance(
  state: SiteAlertState, site: Site, sample: Sample, evaluation: Evaluation, config: AlertConfig, events: AlertEvent[], late: LateHit[],
): void {
  const exceeded = new Map(evaluation.exceedances.map((e) => [e.param, e]));
  // The indicators' own classes, worked out once and only for a reading with an exceedance.
  let classes: Partial<Record<ParamId, Grade>> | undefined;
  const classOf = (param: ParamId): Grade | null => (classes ??= indicatorClasses(sample, site))[param] ?? null;
  const r: Reading = { state, site, sample, config, items: [], recovered: [] };
  for (const param of validParams(sample)) {
    const tracker = (state.trackers[param] ??= { recent: [] });
    const e = exceeded.get(param);
    if (tracker.seenAt !== undefined && sample.time <= tracker.seenAt) {
      if (e && markReported(state, param, sample.time)) late.push({ time: sample.time, param, value: e.value, limit: e.limit, multiple: e.multiple, cls: classOf(param) });
      continue;
    }
    tracker.seenAt = sample.time;
    const value = sample.values[param] as number;
    nearZero(tracker, site.id, sample, param, value, e, config, events);
    tracker.recent.push([sample.time, value]);
    if (tracker.recent.length > TREND) tracker.recent.shift();
    if (e) exceedance(r, tracker, e, classOf(param));
    else recovery(r, param, value);
  }
  announce(r, evaluation.grade, events);
}

function exceedance(r: Reading, tracker: Tracker, e: Exceedance, cls: Grade | null): void {
  const { state, sample, config } = r;
  markReported(state, e.param, sample.time);
  const band = bandOf(e.multiple, config.multipleBands);
  const trend = [...tracker.recent] as const;
  const ep = state.episodes[e.param];
  if (!ep || !ep.open) {
    state.episodes[e.param] = { open: true, openedAt: sample.time, lastNoticeAt: sample.time, band, cls, streak: 0, value: e.value, limit: e.limit, multiple: e.multiple };
    r.items.push({ exceedance: e, cls, phase: 'opened', since: sample.time, trend });
    return;
  }
  const worse = band > ep.band || (cls === '劣V' && ep.cls !== '劣V');
  const due = sample.time - ep.lastNoticeAt >= config.reminderHours * HOUR;
  r.items.push({ exceedance: e, cls, phase: worse ? 'worse' : due ? 'reminder' : 'ongoing', since: ep.openedAt, trend });
  ep.streak = 0;
  ep.value = e.value; ep.limit = e.limit; ep.multiple = e.multiple;
  ep.band = Math.max(ep.band, band);
  if (cls === '劣V' || ep.cls === undefined) ep.cls = cls;
}

function recovery(r: Reading, param: ParamId, value: number): void {
  const ep = r.state.episodes[param];
  if (!ep?.open) return;
  ep.streak++;
  if (ep.streak < r.config.recoveryStreak) return;
  ep.open = false;
  ep.closedAt = r.sample.time;
  r.recovered.push({ param, since: ep.openedAt, value, limit: ep.limit });
}

/** One exceedance event when any indicator is news (all over-target indicators named), one recovery event. */
function announce(r: Reading, grade: Grade | null, events: AlertEvent[]): void {
  const { state, site, sample } = r;
  if (r.items.some((i) => i.phase !== 'ongoing')) {
    // Each indicator named has just been told: its next reminder counts from here.
    for (const i of r.items) (state.episodes[i.exceedance.param] as { lastNoticeAt: number }).lastNoticeAt = sample.time;
    const items = [...r.items].sort((a, b) => worstFirst({ cls: a.cls, multiple: a.exceedance.multiple }, { cls: b.cls, multiple: b.exceedance.multiple }));
    events.push({ kind: 'exceedance', site: site.id, time: sample.time, grade, items });
  }
  if (r.recovered.length > 0) events.push({ kind: 'recovery', site: site.id, time: sample.time, items: r.recovered });
}

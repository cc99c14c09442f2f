/**
 * The per-site alert rules as a pure state machine: given a site's alert state and its newly stored
 * samples (with evaluations), the new state and the events to announce. No I/O: the engine loads
 * and saves the state with conditional writes and publishes the events.
 *
 * - Compliance episodes per indicator: open on the first valid exceedance, remind at most every
 *   reminderHours, update at once when worse (into 劣V or a higher multiple band), close after
 *   recoveryStreak consecutive compliant valid readings.
 * - Suspect data: a silent gap, a long run of non-N flags, a flat line, a fall to near zero right
 *   after an exceedance.
 * Lateness: an indicator's reading no later than the latest one already judged for it is stored but
 * drives no compliance alert, so late, repeated or overlapping files (the same hour from an HJ 212
 * log and a CSV export) never reopen or duplicate an episode. The suspect-data rules follow one
 * series at a time — an HJ 212 data period across files, or one file — since a gap or a flat line
 * only means something within one stream of readings.
 */
import type { EvaluatedSample, Evaluation, Exceedance } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { isValidFlag } from '../domain/sample.js';
import type { AlertConfig } from './config.js';

const HOUR = 3_600_000;
const TREND = 6;

export interface Episode {
  open: boolean;
  openedAt: number;
  closedAt?: number;
  lastNoticeAt: number;
  band: number;
  grade: Grade | null;
  streak: number;
  value: number;
  limit: number;
  multiple: number | null;
}

export interface Tracker {
  /** Latest reading time judged for compliance. */
  seenAt?: number;
  /** Recent valid values, oldest first, for the trend line in messages. */
  recent: [number, number][];
  /** The previous valid reading exceeded (with this limit). */
  exceededLimit?: number;
}

/** One stream of readings for the suspect-data rules. */
export interface Series {
  watermark: number;
  lastValidAt?: number;
  /** Time between the last two valid samples: the series' cadence, as far as it has shown one. */
  step?: number;
  flaggedSince?: number;
  flaggedAlerted?: boolean;
  flat: Partial<Record<ParamId, { value: number; run: number; alerted: boolean }>>;
}

export interface SiteAlertState {
  /** By HJ 212 data period (`hj212:hour`…) or by file (`file:name`). */
  series: Record<string, Series>;
  episodes: Partial<Record<ParamId, Episode>>;
  trackers: Partial<Record<ParamId, Tracker>>;
  /** Days (YYYY-MM-DD) already announced as flood-season swings. */
  fluctuationDays: string[];
  /** A silence the watchdog announced: the last sample's time and when it last said so. */
  silence?: { readonly lastSample: number; readonly announcedAt: number };
}

const MAX_SERIES = 40;

export const emptyState = (): SiteAlertState => ({ series: {}, episodes: {}, trackers: {}, fluctuationDays: [] });

const seriesKey = (s: Sample) => (s.interval ? `hj212:${s.interval}` : `file:${s.source.file}`);

export type AlertEvent =
  | { readonly kind: 'exceedance'; readonly phase: 'opened' | 'reminder' | 'worse'; readonly site: string; readonly time: number; readonly exceedance: Exceedance; readonly grade: Grade | null; readonly since: number; readonly trend: [number, number][] }
  | { readonly kind: 'recovery'; readonly site: string; readonly time: number; readonly param: ParamId; readonly since: number; readonly value: number; readonly limit: number }
  | { readonly kind: 'suspect-data'; readonly problem: 'gap'; readonly site: string; readonly time: number; readonly from: number }
  /** Still silent now (the scheduled watchdog), as opposed to a gap seen when data resumed. */
  | { readonly kind: 'suspect-data'; readonly problem: 'silent'; readonly site: string; readonly time: number; readonly from: number; readonly reminder: boolean }
  | { readonly kind: 'suspect-data'; readonly problem: 'flagged-run'; readonly site: string; readonly time: number; readonly from: number; readonly flags: string[] }
  | { readonly kind: 'suspect-data'; readonly problem: 'flat-line'; readonly site: string; readonly time: number; readonly param: ParamId; readonly value: number; readonly readings: number }
  | { readonly kind: 'suspect-data'; readonly problem: 'near-zero'; readonly site: string; readonly time: number; readonly param: ParamId; readonly value: number; readonly limit: number; readonly previous: number };

function bandOf(multiple: number | null, bands: readonly number[]): number {
  if (multiple === null) return 0;
  let b = 0;
  for (const edge of bands) if (multiple >= edge) b++;
  return b;
}

const clone = (s: SiteAlertState): SiteAlertState => structuredClone(s);

/** Applies one site's samples (any order) to its state. Returns the new state and the events. */
export function applySamples(
  prior: SiteAlertState, site: string, samples: readonly EvaluatedSample[], config: AlertConfig,
): { state: SiteAlertState; events: AlertEvent[] } {
  const state = clone(prior);
  const events: AlertEvent[] = [];
  const sorted = [...samples].sort((a, b) => a.sample.time - b.sample.time);
  for (const { sample, evaluation } of sorted) {
    const key = seriesKey(sample);
    const series = (state.series[key] ??= { watermark: -Infinity, flat: {} });
    if (sample.time > series.watermark) {
      series.watermark = sample.time;
      suspect(series, site, sample, config, events);
    }
    compliance(state, site, sample, evaluation, config, events);
  }
  // Keep the newest series only: old files' streams are finished.
  const keys = Object.keys(state.series);
  if (keys.length > MAX_SERIES) {
    for (const k of keys.sort((a, b) => (state.series[a] as Series).watermark - (state.series[b] as Series).watermark).slice(0, keys.length - MAX_SERIES)) {
      delete state.series[k];
    }
  }
  return { state, events };
}

function validParams(sample: Sample): ParamId[] {
  return (Object.keys(sample.values) as ParamId[]).filter((p) => isValidFlag(sample.flags[p]));
}

function compliance(state: SiteAlertState, site: string, sample: Sample, evaluation: Evaluation, config: AlertConfig, events: AlertEvent[]): void {
  const exceeded = new Map(evaluation.exceedances.map((e) => [e.param, e]));
  for (const param of validParams(sample)) {
    const value = sample.values[param] as number;
    const tracker = (state.trackers[param] ??= { recent: [] });
    if (tracker.seenAt !== undefined && sample.time <= tracker.seenAt) continue; // late: stored, not alerted
    tracker.seenAt = sample.time;
    nearZero(tracker, site, sample, param, value, exceeded.get(param), config, events);
    tracker.recent.push([sample.time, value]);
    if (tracker.recent.length > TREND) tracker.recent.shift();
    const e = exceeded.get(param);
    const ep = state.episodes[param];
    if (e) {
      const band = bandOf(e.multiple, config.multipleBands);
      if (!ep || !ep.open) {
        state.episodes[param] = { open: true, openedAt: sample.time, lastNoticeAt: sample.time, band, grade: evaluation.grade, streak: 0, value: e.value, limit: e.limit, multiple: e.multiple };
        events.push({ kind: 'exceedance', phase: 'opened', site, time: sample.time, exceedance: e, grade: evaluation.grade, since: sample.time, trend: [...tracker.recent] });
        continue;
      }
      const worse = band > ep.band || (evaluation.grade === '劣V' && ep.grade !== '劣V');
      const due = sample.time - ep.lastNoticeAt >= config.reminderHours * HOUR;
      ep.streak = 0;
      ep.value = e.value; ep.limit = e.limit; ep.multiple = e.multiple;
      if (worse || due) {
        events.push({ kind: 'exceedance', phase: worse ? 'worse' : 'reminder', site, time: sample.time, exceedance: e, grade: evaluation.grade, since: ep.openedAt, trend: [...tracker.recent] });
        ep.lastNoticeAt = sample.time;
      }
      ep.band = Math.max(ep.band, band);
      if (evaluation.grade === '劣V') ep.grade = '劣V';
    } else if (ep?.open) {
      ep.streak++;
      if (ep.streak >= config.recoveryStreak) {
        ep.open = false;
        ep.closedAt = sample.time;
        events.push({ kind: 'recovery', site, time: sample.time, param, since: ep.openedAt, value, limit: ep.limit });
      }
    }
  }
}

function suspect(series: Series, site: string, sample: Sample, config: AlertConfig, events: AlertEvent[]): void {
  const params = Object.keys(sample.values) as ParamId[];
  const flagged = params.filter((p) => !isValidFlag(sample.flags[p]));
  const valid = validParams(sample);
  const s = config.suspect;

  // Flags: a run of samples whose every value is flagged (D, F, B, M, C…).
  if (valid.length === 0 && flagged.length > 0) {
    series.flaggedSince ??= sample.time;
    if (!series.flaggedAlerted && sample.time - series.flaggedSince >= s.flaggedRunHours * HOUR) {
      series.flaggedAlerted = true;
      events.push({ kind: 'suspect-data', problem: 'flagged-run', site, time: sample.time, from: series.flaggedSince, flags: [...new Set(flagged.map((p) => sample.flags[p] as string))] });
    }
    return;
  }
  if (valid.length === 0) return;
  const flaggedRunAnnounced = series.flaggedAlerted === true;
  delete series.flaggedSince;
  series.flaggedAlerted = false;

  // Silence: no valid sample for longer than the gap, announced when data resumes (unless the
  // stretch was a run of flagged readings, already announced as such). Only in a series that was
  // reporting more often than the gap: manual samples days apart are their normal, not a silence.
  const step = series.lastValidAt === undefined ? undefined : sample.time - series.lastValidAt;
  if (!flaggedRunAnnounced && step !== undefined && step > s.gapHours * HOUR && series.step !== undefined && series.step <= s.gapHours * HOUR) {
    events.push({ kind: 'suspect-data', problem: 'gap', site, time: sample.time, from: series.lastValidAt as number });
  }
  if (step !== undefined && step > 0) series.step = step;
  series.lastValidAt = sample.time;

  // Flat line: the same value reading after reading, in an indicator that always varies.
  for (const param of valid) {
    if (!s.varyingParams.includes(param) || sample.belowDetection?.[param]) continue;
    const value = sample.values[param] as number;
    const f = series.flat[param];
    if (!f || f.value !== value) { series.flat[param] = { value, run: 1, alerted: false }; continue; }
    f.run++;
    if (!f.alerted && f.run >= s.flatLineReadings) {
      f.alerted = true;
      events.push({ kind: 'suspect-data', problem: 'flat-line', site, time: sample.time, param, value, readings: f.run });
    }
  }
}

/** A fall to near zero right after an exceedance: a classic sign of a tampered analyser. */
function nearZero(t: Tracker, site: string, sample: Sample, param: ParamId, value: number, e: Exceedance | undefined, config: AlertConfig, events: AlertEvent[]): void {
  const previous = t.recent.at(-1)?.[1];
  if (t.exceededLimit !== undefined && !e && previous !== undefined && value < config.suspect.nearZeroShareOfLimit * t.exceededLimit) {
    events.push({ kind: 'suspect-data', problem: 'near-zero', site, time: sample.time, param, value, limit: t.exceededLimit, previous });
  }
  if (e && e.multiple !== null) t.exceededLimit = e.limit;
  else delete t.exceededLimit;
}

/**
 * The per-site alert rules as a pure state machine: given a site's alert state and its newly stored
 * samples (with evaluations), the new state and the events to announce. No I/O: the engine loads
 * and saves the state with conditional writes and records the events' notifications.
 *
 * - Compliance (compliance.ts): episodes per indicator, one message per reading.
 * - Suspect data (suspect-rules.ts): gaps, flagged runs, flat lines, near-zero falls, per series.
 * - Online readings (online.ts): what the watchdog judges a station by.
 * - Late exceedances: kept per file until the file is finished, then one digest (takeLate).
 */
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { Sample } from '../domain/sample.js';
import type { Site } from '../domain/sites.js';
import { ALERT_MAX_LATE_FILES, ALERT_MAX_LATE_HITS, ALERT_MAX_SERIES } from '../limits.js';
import { judgeCompliance } from './compliance.js';
import type { AlertConfig } from './config.js';
import type { AlertEvent } from './events.js';
import { noteOnline } from './online.js';
import type { LateHit, Series, SiteAlertState } from './site-state.js';
import { judgeSuspect } from './suspect-rules.js';

export { emptyState } from './site-state.js';
export type { Episode, Series, SiteAlertState, Tracker } from './site-state.js';
export type { AlertEvent } from './events.js';

const seriesKey = (s: Sample) => (s.interval ? `hj212:${s.interval}` : `file:${s.source.file}`);

const clone = (s: SiteAlertState): SiteAlertState => structuredClone(s);

/** Applies one site's samples (any order) to its state. Returns the new state and the events. */
export function applySamples(
  prior: SiteAlertState, site: Site, samples: readonly EvaluatedSample[], config: AlertConfig,
): { state: SiteAlertState; events: AlertEvent[] } {
  const state = clone(prior);
  const events: AlertEvent[] = [];
  const sorted = [...samples].sort((a, b) => a.sample.time - b.sample.time);
  noteOnlineReadings(state, sorted, config);
  const late = new Map<string, LateHit[]>();
  for (const { sample, evaluation } of sorted) {
    const series = (state.series[seriesKey(sample)] ??= { watermark: -Infinity, flat: {} });
    series.first = Math.min(series.first ?? sample.time, sample.time);
    if (sample.time > series.watermark) {
      series.watermark = sample.time;
      judgeSuspect(series, site.id, sample, config, events);
    }
    const hits: LateHit[] = [];
    judgeCompliance(state, site, sample, evaluation, config, events, hits);
    if (hits.length > 0) (late.get(sample.source.file) ?? late.set(sample.source.file, []).get(sample.source.file)!).push(...hits);
  }
  for (const [file, hits] of late) keepLate(state, file, hits);
  pruneSeries(state);
  return { state, events };
}

function noteOnlineReadings(state: SiteAlertState, sorted: readonly EvaluatedSample[], config: AlertConfig): void {
  const times = new Map<string, number[]>();
  for (const { sample } of sorted) (times.get(seriesKey(sample)) ?? times.set(seriesKey(sample), []).get(seriesKey(sample))!).push(sample.time);
  for (const [key, ts] of times) noteOnline(state, key, state.series[key] as Series | undefined, ts, config);
}

/** Keeps a file's late exceedances for its digest (bounded: the rest are counted). */
function keepLate(state: SiteAlertState, file: string, hits: readonly LateHit[]): void {
  const late = (state.late ??= {});
  const entry = (late[file] ??= { hits: [], more: 0 });
  const room = Math.max(0, ALERT_MAX_LATE_HITS - entry.hits.length);
  entry.hits.push(...hits.slice(0, room));
  entry.more += Math.max(0, hits.length - room);
  const files = Object.keys(late);
  for (const f of files.slice(0, Math.max(0, files.length - ALERT_MAX_LATE_FILES))) delete late[f];
}

/** The late-exceedance digest of a finished file, taken out of the state; none when it had none. */
export function takeLate(prior: SiteAlertState, site: string, file: string): { state: SiteAlertState; events: AlertEvent[] } {
  const entry = prior.late?.[file];
  if (!entry) return { state: prior, events: [] };
  const { [file]: _, ...rest } = prior.late as Record<string, NonNullable<typeof entry>>;
  const { late: __, ...state } = prior;
  const hits = [...entry.hits].sort((a, b) => a.time - b.time);
  return {
    state: Object.keys(rest).length > 0 ? { ...state, late: rest } : state,
    events: [{ kind: 'late-exceedance', site, file, hits, more: entry.more }],
  };
}

/** Keep the newest series only: old files' streams are finished. */
function pruneSeries(state: SiteAlertState): void {
  const keys = Object.keys(state.series);
  if (keys.length <= ALERT_MAX_SERIES) return;
  const oldest = keys.sort((a, b) => (state.series[a] as Series).watermark - (state.series[b] as Series).watermark).slice(0, keys.length - ALERT_MAX_SERIES);
  for (const k of oldest) delete state.series[k];
}

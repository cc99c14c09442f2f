/**
 * When a station was online — what the watchdog judges an online station by.
 *
 * The rule (docs: README, "Silent stations"): a reading is an *online reading* when it is an HJ 212
 * data packet, or when its series (the site's rows in one file) has another reading at most
 * `suspect.gapHours` away — the cadence of a station export (hourly, four-hourly). A manual
 * sample (one visit, days or weeks from the next) is not: it must not make a silent station look
 * alive. At ingest, the alert rules record the online readings of each site as merged time
 * intervals in its alert state (readings at most the gap apart make one interval). The latest
 * online reading before a time is then the end of the last interval before it, or, inside an
 * interval, a reading at most the gap earlier — without reading a single sample.
 */
import { ALERT_MAX_ONLINE_INTERVALS } from '../limits.js';
import type { AlertConfig } from './config.js';
import { type Interval, addInterval, lastCoveredAtOrBefore } from './intervals.js';
import type { Series, SiteAlertState } from './site-state.js';

const HOUR = 3_600_000;

/** Records the online readings among `times` (a series' readings in this batch, any order). */
export function noteOnline(state: SiteAlertState, seriesKey: string, prior: Series | undefined, times: readonly number[], config: AlertConfig): void {
  const gap = config.suspect.gapHours * HOUR;
  const packets = seriesKey.startsWith('hj212:');
  // The series' earliest and latest readings so far pair with this batch's at its edges.
  const known = prior ? [prior.first, Number.isFinite(prior.watermark) ? prior.watermark : undefined] : [];
  const points = [...new Set([...known.filter((t): t is number => t !== undefined), ...times])].sort((a, b) => a - b);
  let online: Interval[] = state.online ?? [];
  let start = points[0];
  for (let i = 1; i <= points.length; i++) {
    const prev = points[i - 1] as number;
    const next = points[i];
    if (next !== undefined && next - prev <= gap) continue;
    // A run ends at `prev`: online when it holds two readings or more, or when it is HJ 212 packets.
    if (start !== undefined && (prev > start || packets)) online = addInterval(online, start, prev, ALERT_MAX_ONLINE_INTERVALS, gap);
    start = next;
  }
  if (online.length > 0) state.online = online;
}

/**
 * The latest online reading at or before `at`: `{ inside: true }` when there is one at most the gap
 * before `at` (the station was online then), its time when it is older, nothing when none is known.
 */
export function latestOnline(state: SiteAlertState, at: number): { readonly inside: boolean; readonly end?: number } {
  return lastCoveredAtOrBefore(state.online ?? [], at);
}

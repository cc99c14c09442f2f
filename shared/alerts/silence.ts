/**
 * The watchdog's rule: an online station that has sent no online reading (online.ts) for longer
 * than the gap is announced while it is still silent (the ingest rules can only see a gap once
 * data resumes), then reminded at the reminder interval until data comes back. Pure.
 */
import type { AlertConfig } from './config.js';
import type { AlertEvent } from './events.js';
import { latestOnline } from './online.js';
import type { SiteAlertState } from './site-state.js';

const HOUR = 3_600_000;

/** Whether a station whose latest sample is at `latest` counts as silent at `now`. */
export function isSilent(latest: number | undefined, now: number, config: AlertConfig): boolean {
  return latest !== undefined && now - latest > config.suspect.gapHours * HOUR;
}

export function checkSilence(
  state: SiteAlertState, site: string, latest: number | undefined, now: number, config: AlertConfig,
): { state: SiteAlertState; events: AlertEvent[] } {
  // Never reported: nothing to compare with (a new station is not a silent one).
  if (latest === undefined) return { state, events: [] };
  if (!isSilent(latest, now, config)) {
    const { silence: _, ...rest } = state; // data came back (if it ever stopped): the gap rule announces the resumption
    return { state: rest, events: [] };
  }
  const known = state.silence?.lastSample === latest ? state.silence : undefined;
  if (known && now - known.announcedAt < config.reminderHours * HOUR) return { state, events: [] };
  return {
    state: { ...state, silence: { lastSample: latest, announcedAt: now } },
    events: [{ kind: 'suspect-data', problem: 'silent', site, time: now, from: latest, reminder: known !== undefined }],
  };
}

/**
 * The silence rule at `at`, judged by the station's online readings before `at` as its alert state
 * records them (readings stored later, or manual samples, do not count).
 */
export function checkStationSilence(state: SiteAlertState, site: string, at: number, config: AlertConfig): { state: SiteAlertState; events: AlertEvent[] } {
  const seen = latestOnline(state, at);
  // Online at most the gap before `at`: not silent, whatever the exact last reading was.
  return checkSilence(state, site, seen.inside ? at : seen.end, at, config);
}

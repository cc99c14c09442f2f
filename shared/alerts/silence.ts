/**
 * The watchdog's rule: an online station that has sent nothing for longer than the gap is announced
 * while it is still silent (the ingest rules can only see a gap once data resumes), then reminded
 * at the reminder interval until data comes back. Pure: the caller supplies the latest sample time.
 */
import type { AlertConfig } from './config.js';
import type { AlertEvent, SiteAlertState } from './site-rules.js';

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
    if (!state.silence) return { state, events: [] };
    const { silence: _, ...rest } = state; // data came back: the gap rule announces the resumption
    return { state: rest, events: [] };
  }
  const known = state.silence?.lastSample === latest ? state.silence : undefined;
  if (known && now - known.announcedAt < config.reminderHours * HOUR) return { state, events: [] };
  return {
    state: { ...state, silence: { lastSample: latest, announcedAt: now } },
    events: [{ kind: 'suspect-data', problem: 'silent', site, time: now, from: latest, reminder: known !== undefined }],
  };
}

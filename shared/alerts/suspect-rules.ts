/**
 * Suspect data, one series at a time (an HJ 212 data period across files, or one file's rows of a
 * site): a silent gap, a long run of non-N flags, a flat line, a fall to near zero right after an
 * exceedance. A gap or a flat line only means something within one stream of readings.
 */
import type { Exceedance } from '../domain/evaluate.js';
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { isValidFlag } from '../domain/sample.js';
import type { AlertConfig } from './config.js';
import type { AlertEvent } from './events.js';
import type { Series, Tracker } from './site-state.js';

const HOUR = 3_600_000;

/** Judges one reading that is the newest of its series. */
export function judgeSuspect(series: Series, site: string, sample: Sample, config: AlertConfig, events: AlertEvent[]): void {
  const params = Object.keys(sample.values) as ParamId[];
  const valid = params.filter((p) => isValidFlag(sample.flags[p]));
  const s = config.suspect;
  if (params.length === 0) return; // a reading without values says nothing about the stream

  // Flags: a run of samples whose every value is flagged (D, F, B, M, C…).
  if (valid.length === 0) {
    series.flaggedSince ??= sample.time;
    if (!series.flaggedAlerted && sample.time - series.flaggedSince >= s.flaggedRunHours * HOUR) {
      series.flaggedAlerted = true;
      events.push({ kind: 'suspect-data', problem: 'flagged-run', site, time: sample.time, from: series.flaggedSince, flags: [...new Set(params.map((p) => sample.flags[p] as string))] });
    }
    return;
  }
  const flaggedRunAnnounced = series.flaggedAlerted === true;
  delete series.flaggedSince;
  series.flaggedAlerted = false;
  gap(series, site, sample, config, flaggedRunAnnounced, events);
  flatLine(series, site, sample, valid, config, events);
}

/**
 * Silence: no valid sample for longer than the gap, announced when data resumes (unless the stretch
 * was a run of flagged readings, already announced as such). Only in a series that was reporting
 * more often than the gap: manual samples days apart are their normal, not a silence.
 */
function gap(series: Series, site: string, sample: Sample, config: AlertConfig, flaggedRunAnnounced: boolean, events: AlertEvent[]): void {
  const gapMs = config.suspect.gapHours * HOUR;
  const step = series.lastValidAt === undefined ? undefined : sample.time - series.lastValidAt;
  if (!flaggedRunAnnounced && step !== undefined && step > gapMs && series.step !== undefined && series.step <= gapMs) {
    events.push({ kind: 'suspect-data', problem: 'gap', site, time: sample.time, from: series.lastValidAt as number });
  }
  if (step !== undefined) series.step = step; // > 0: a series only judges readings after its watermark
  series.lastValidAt = sample.time;
}

/** Flat line: the same value reading after reading, in an indicator that always varies. */
function flatLine(series: Series, site: string, sample: Sample, valid: readonly ParamId[], config: AlertConfig, events: AlertEvent[]): void {
  const s = config.suspect;
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
export function nearZero(
  t: Tracker, site: string, sample: Sample, param: ParamId, value: number, e: Exceedance | undefined, config: AlertConfig, events: AlertEvent[],
): void {
  const previous = t.recent.at(-1)?.[1];
  if (t.exceededLimit !== undefined && !e && previous !== undefined && value < config.suspect.nearZeroShareOfLimit * t.exceededLimit) {
    events.push({ kind: 'suspect-data', problem: 'near-zero', site, time: sample.time, param, value, limit: t.exceededLimit, previous });
  }
  if (e && e.multiple !== null) t.exceededLimit = e.limit;
  else delete t.exceededLimit;
}

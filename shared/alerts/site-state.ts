/**
 * What the alert rules remember about one site between files: the compliance episodes, per
 * indicator trackers, the series the suspect-data rules follow, when the station was online, which
 * exceedance hours have been reported, and late exceedances waiting for their file's digest.
 * Stored as one JSON document in the site's alert state item (bounded: see the MAX_ constants).
 */
import type { Grade } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { Interval } from './intervals.js';


export interface Episode {
  open: boolean;
  openedAt: number;
  closedAt?: number;
  lastNoticeAt: number;
  band: number;
  /** The indicator's own GB 3838 class at its worst so far in this episode. */
  cls?: Grade | null;
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
  /** The earliest reading seen in the series (its online cadence is judged between neighbours). */
  first?: number;
  lastValidAt?: number;
  /** Time between the last two valid samples: the series' cadence, as far as it has shown one. */
  step?: number;
  flaggedSince?: number;
  flaggedAlerted?: boolean;
  flat: Partial<Record<ParamId, { value: number; run: number; alerted: boolean }>>;
}

/** An exceedance in a reading that arrived after later readings had been judged. */
export interface LateHit {
  readonly time: number;
  readonly param: ParamId;
  readonly value: number;
  readonly limit: number;
  readonly multiple: number | null;
  readonly cls: Grade | null;
}

/** Late exceedances of one file, kept until the file is finished and its digest is sent. */
export interface LateFile {
  hits: LateHit[];
  /** Hits beyond those kept (counted, not listed). */
  more: number;
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
  /** When the station was online (epoch ms intervals of online readings): what the watchdog judges by. */
  online?: Interval[];
  /** Per indicator, the hours (epoch hour numbers) whose exceedance has been reported, as intervals. */
  reported?: Partial<Record<ParamId, Interval[]>>;
  /** Late exceedances by file name, waiting for the file's digest. */
  late?: Record<string, LateFile>;
}

export const emptyState = (): SiteAlertState => ({ series: {}, episodes: {}, trackers: {}, fluctuationDays: [] });

/**
 * Day parts: sums and counts of valid values per site and local day, gathered while files stream,
 * so daily and monthly means (shared/domain/period-means.ts) need no second pass over the samples.
 */
import type { ParamId } from './parameters.js';

/** Sums and counts of valid values for one site, one local day, from one file (in one or more segments). */
export interface DayPart {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly fileId: string;
  /** Which of the file's part flushes this is: a day that recurs late in an unsorted file gets another. */
  readonly segment: number;
  readonly sums: Partial<Record<ParamId, number>>;
  readonly counts: Partial<Record<ParamId, number>>;
  readonly samples: number;
}

/** A site and a local day a file touched: what the flood-season rule looks at after the file. */
export interface SiteDay {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
}

/** Site-days in site order, then day order (as a file's touched days are handed to the flood-season rule). */
export const bySiteAndDay = (a: SiteDay, b: SiteDay): number =>
  (a.site < b.site ? -1 : a.site > b.site ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0);

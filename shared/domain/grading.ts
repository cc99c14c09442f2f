/**
 * Single-indicator grading against GB 3838-2002 Table 1 (water-domain.md §2).
 * A value exactly on a class limit belongs to that class; where several classes share a limit
 * (COD I/II = 15) the best of them is taken.
 */
import type { GradeRank, Table1Item } from './gb3838.js';
import { WORSE_THAN_V } from './gb3838.js';

export function classify(item: Table1Item, value: number): GradeRank {
  const { limits } = item;
  switch (item.kind) {
    case 'range': {
      const [lo, hi] = item.range ?? [-Infinity, Infinity];
      return value >= lo && value <= hi ? 0 : WORSE_THAN_V;
    }
    case 'min':
      for (let r = 0; r < 5; r++) if (value >= (limits[r] as number)) return r as GradeRank;
      return WORSE_THAN_V;
    case 'max':
      for (let r = 0; r < 5; r++) if (value <= (limits[r] as number)) return r as GradeRank;
      return WORSE_THAN_V;
  }
}

export interface Breach {
  /** The limit broken: the nearer pH bound, DO's minimum, or the item's maximum. */
  readonly limit: number;
  /** (C − S) / S; null for pH and DO, for which the standard defines no multiple. */
  readonly multiple: number | null;
}

/** How `value` breaks the class limit at `rank`, or null when it holds. */
export function breachOf(item: Table1Item, value: number, rank: GradeRank): Breach | null {
  switch (item.kind) {
    case 'range': {
      const [lo, hi] = item.range ?? [-Infinity, Infinity];
      if (value < lo) return { limit: lo, multiple: null };
      if (value > hi) return { limit: hi, multiple: null };
      return null;
    }
    case 'min': {
      const limit = (item.limits as readonly number[])[rank] as number;
      return value < limit ? { limit, multiple: null } : null;
    }
    case 'max': {
      const limit = (item.limits as readonly number[])[rank] as number;
      return value > limit ? { limit, multiple: (value - limit) / limit } : null;
    }
  }
}

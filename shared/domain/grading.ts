/**
 * Single-indicator grading against GB 3838-2002 Table 1 (docs/domain.md#gb-3838-2002-table-1).
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

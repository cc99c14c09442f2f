/** Grading at its edges (docs/domain.md#gb-3838-2002-table-1): a range item with no band given. */
import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/domain/grading.js';

describe('classify', () => {
  it('a range item with no band given fails no value: every value is Class I', () => {
    const item = { param: 'pH', kind: 'range', limits: [9, 9, 9, 9, 9] } as const;
    expect([-5, 0, 7, 14, 1e6].map((v) => classify(item, v))).toEqual([0, 0, 0, 0, 0]);
  });
});

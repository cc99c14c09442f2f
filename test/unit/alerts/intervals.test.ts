/**
 * The interval record behind "when was the station online" and "which hours were reported": sorted,
 * merged, closed intervals, the newest kept.
 */
import { describe, expect, it } from 'vitest';
import { addInterval, covers, lastCoveredAtOrBefore } from '../../../shared/alerts/intervals.js';

describe('addInterval', () => {
  it('an interval added to nothing is the record', () => {
    expect(addInterval([], 3, 7, 10)).toEqual([[3, 7]]);
  });

  it('keeps the record sorted: before, between and after the intervals it holds, each placed once', () => {
    expect(addInterval([[10, 20]], 1, 2, 10)).toEqual([[1, 2], [10, 20]]);
    expect(addInterval([[1, 2]], 10, 20, 10)).toEqual([[1, 2], [10, 20]]);
    expect(addInterval([[1, 1], [10, 10], [20, 20]], 5, 5, 10)).toEqual([[1, 1], [5, 5], [10, 10], [20, 20]]);
  });

  it('merges what overlaps or shares an end; an interval bridging two makes one', () => {
    expect(addInterval([[1, 5]], 3, 8, 10)).toEqual([[1, 8]]);
    expect(addInterval([[3, 8]], 1, 5, 10)).toEqual([[1, 8]]);
    expect(addInterval([[1, 5]], 5, 7, 10)).toEqual([[1, 7]]);
    expect(addInterval([[5, 7]], 1, 5, 10)).toEqual([[1, 7]]);
    expect(addInterval([[1, 2], [5, 6], [9, 9]], 2, 5, 10)).toEqual([[1, 6], [9, 9]]);
    expect(addInterval([[2, 3]], 1, 9, 10)).toEqual([[1, 9]]);
    expect(addInterval([[1, 9]], 2, 3, 10)).toEqual([[1, 9]]);
  });

  it('without a join, neighbours one apart stay two; with join 1 (whole hours) they are one run', () => {
    expect(addInterval([[1, 5]], 6, 6, 10)).toEqual([[1, 5], [6, 6]]);
    expect(addInterval([[7, 9]], 5, 6, 10)).toEqual([[5, 6], [7, 9]]);
    expect(addInterval([[1, 5]], 6, 6, 10, 1)).toEqual([[1, 6]]);
    expect(addInterval([[7, 9]], 5, 6, 10, 1)).toEqual([[5, 9]]);
    // two apart is beyond a join of 1
    expect(addInterval([[1, 5]], 7, 7, 10, 1)).toEqual([[1, 5], [7, 7]]);
    expect(addInterval([[8, 9]], 5, 6, 10, 1)).toEqual([[5, 6], [8, 9]]);
  });

  it('keeps the newest `keep` intervals, dropping the oldest', () => {
    expect(addInterval([[1, 1], [3, 3], [5, 5]], 7, 7, 3)).toEqual([[3, 3], [5, 5], [7, 7]]);
    expect(addInterval([[3, 3], [5, 5]], 7, 7, 3)).toEqual([[3, 3], [5, 5], [7, 7]]);
  });
});

describe('covers', () => {
  it('both ends of an interval are inside it; the numbers either side are not', () => {
    const list: [number, number][] = [[3, 5], [10, 10]];
    expect([2, 3, 4, 5, 6, 9, 10, 11].map((x) => covers(list, x))).toEqual([false, true, true, true, false, false, true, false]);
    expect(covers([], 0)).toBe(false);
  });
});

describe('lastCoveredAtOrBefore', () => {
  const list: [number, number][] = [[3, 5], [10, 12]];

  it('before every interval: nothing known', () => {
    expect(lastCoveredAtOrBefore(list, 2)).toEqual({ inside: false });
    expect(lastCoveredAtOrBefore([], 100)).toEqual({ inside: false });
  });

  it('inside an interval, its ends included', () => {
    for (const at of [3, 4, 5, 10, 12]) expect(lastCoveredAtOrBefore(list, at), String(at)).toEqual({ inside: true });
  });

  it('after an interval: the end of the latest one that starts no later', () => {
    expect(lastCoveredAtOrBefore(list, 6)).toEqual({ inside: false, end: 5 });
    expect(lastCoveredAtOrBefore(list, 9)).toEqual({ inside: false, end: 5 });
    expect(lastCoveredAtOrBefore(list, 13)).toEqual({ inside: false, end: 12 });
  });
});

/**
 * Sorted, merged, closed intervals of numbers (epoch ms or hour numbers): a compact record of
 * "when" that stays small however many readings fall inside it.
 */
export type Interval = [number, number];

/**
 * `list` with [from, to] added, the newest `keep` kept. Intervals that overlap, touch, or lie at
 * most `join` apart are merged (1 for whole hour numbers: hours 5 and 6 are one run).
 */
export function addInterval(list: readonly Interval[], from: number, to: number, keep: number, join = 0): Interval[] {
  const out: Interval[] = [];
  let lo = from;
  let hi = to;
  let placed = false;
  for (const [a, b] of list) {
    if (b + join < lo) { out.push([a, b]); continue; }
    if (a > hi + join) {
      if (!placed) { out.push([lo, hi]); placed = true; }
      out.push([a, b]);
      continue;
    }
    lo = Math.min(lo, a); // overlaps or touches: merge
    hi = Math.max(hi, b);
  }
  if (!placed) out.push([lo, hi]);
  return out.length > keep ? out.slice(out.length - keep) : out;
}

/** Whether `x` lies in one of the intervals. */
export function covers(list: readonly Interval[], x: number): boolean {
  return list.some(([a, b]) => a <= x && x <= b);
}

/**
 * Where `at` stands against the intervals: inside one, or after the end of the latest one that
 * starts no later than `at` (its end then is the last point covered before `at`), or before all.
 */
export function lastCoveredAtOrBefore(list: readonly Interval[], at: number): { readonly inside: boolean; readonly end?: number } {
  let found: Interval | undefined;
  for (const iv of list) if (iv[0] <= at) found = iv;
  if (!found) return { inside: false };
  return found[1] >= at ? { inside: true } : { inside: false, end: found[1] };
}

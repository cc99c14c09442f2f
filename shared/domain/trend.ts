/**
 * The Mann–Kendall trend test and Sen's slope (docs/domain.md#trend-test), for a monthly series such as
 * 四新河出境断面's total nitrogen.
 *
 * - S = Σ_{k<j} sgn(x_j − x_k), in time order;
 * - Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over the groups of tied values;
 * - Z = (S − 1)/√Var(S) for S > 0, 0 for S = 0, (S + 1)/√Var(S) for S < 0 (continuity correction);
 * - two-sided p = 2(1 − Φ(|Z|)) = erfc(|Z|/√2). erfc comes from @stdlib/math-base-special-erfc, a
 *   port of FreeBSD's msun erfc (the C library's, accurate to about one unit in the last place): it
 *   keeps small p-values exact where 1 − Φ computed by subtraction would round to 0.
 * - Sen's slope: the median of (x_j − x_k)/(t_j − t_k) over all pairs, t the month's index, so a
 *   missing month does not shrink the slope; per month, ×12 per year.
 */
import erfc from '@stdlib/math-base-special-erfc';

export interface MannKendall {
  readonly n: number;
  readonly s: number;
  readonly varS: number;
  readonly z: number;
  readonly p: number;
}

export function mannKendall(xs: readonly number[]): MannKendall {
  const n = xs.length;
  let s = 0;
  for (let k = 0; k < n - 1; k++) {
    for (let j = k + 1; j < n; j++) s += Math.sign((xs[j] as number) - (xs[k] as number));
  }
  const ties = new Map<number, number>();
  for (const x of xs) ties.set(x, (ties.get(x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = varS <= 0 || s === 0 ? 0 : (s > 0 ? s - 1 : s + 1) / Math.sqrt(varS);
  return { n, s, varS, z, p: erfc(Math.abs(z) / Math.SQRT2) };
}

/** Sen's slope per unit of `t`; null for fewer than two points. */
export function senSlope(points: readonly { readonly t: number; readonly x: number }[]): number | null {
  const slopes: number[] = [];
  for (let k = 0; k < points.length - 1; k++) {
    for (let j = k + 1; j < points.length; j++) {
      const a = points[k] as { t: number; x: number };
      const b = points[j] as { t: number; x: number };
      if (b.t !== a.t) slopes.push((b.x - a.x) / (b.t - a.t));
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 === 1 ? (slopes[mid] as number) : ((slopes[mid - 1] as number) + (slopes[mid] as number)) / 2;
}

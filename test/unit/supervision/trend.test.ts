/**
 * Mann–Kendall S, Var(S) with ties, Z with continuity correction, two-sided p, and Sen's slope
 * (docs/domain.md#trend-test), against worked examples.
 */
import { describe, expect, it } from 'vitest';
import { mannKendall, senSlope } from '../../../shared/domain/trend.js';
import { type TrendRules, analyseTrend } from '../../../shared/domain/trend-verdict.js';
import { addMonths } from '../../../shared/domain/months.js';

describe('Mann–Kendall', () => {
  it('matches the published worked example "A Mann-Kendall Example (By Hand)" (J. Little, College of the Holy Cross, MannKendallByHand.txt)', () => {
    // 14 values, one pair of equal values (12.9): the example counts 72 rises, 18 falls, 1 tie → S = 54,
    // V = (14)(13)(33)/18 − (2)(1)(9)/18, Z = (S − 1)/√V ≈ 2.9058, one-sided tail p ≈ .0018.
    const x = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7];
    const r = mannKendall(x);
    expect(r.s).toBe(54);
    expect(r.varS).toBeCloseTo((14 * 13 * 33) / 18 - (2 * 1 * 9) / 18, 10);
    expect(r.z).toBeCloseTo(2.9058, 4);
    expect(r.p / 2).toBeCloseTo(0.0018, 4); // the example's tail; bishui reports the two-sided p
    expect(r.p).toBeCloseTo(0.00366, 5);
  });

  it('a short series worked by hand: S, Var(S) without ties, Z and p', () => {
    // x = 1, 3, 2, 5, 4. Signs of x_j − x_k for k < j: (1,3)+ (1,2)+ (1,5)+ (1,4)+ (3,2)− (3,5)+ (3,4)+ (2,5)+ (2,4)+ (5,4)−
    // → S = 8 − 2 = 6. Var = 5·4·15/18 = 16.667. Z = (6 − 1)/√16.667 = 1.22474. p = 2(1 − Φ(1.22474)) = 0.22067.
    const r = mannKendall([1, 3, 2, 5, 4]);
    expect(r).toMatchObject({ n: 5, s: 6 });
    expect(r.varS).toBeCloseTo(300 / 18, 12);
    expect(r.z).toBeCloseTo(5 / Math.sqrt(300 / 18), 12);
    expect(r.p).toBeCloseTo(0.22067, 5);
  });

  it('Var(S) with two groups of ties, worked by hand', () => {
    // x = 1, 2, 2, 3, 3, 3: ties t = 2 (the 2s) and t = 3 (the 3s).
    // S: from 1, five rises (+5); from the first 2: one tie, three rises (+3); from the second 2: +3; the 3s tie (0) → S = 11.
    // Var = [6·5·17 − (2·1·9 + 3·2·11)] / 18 = (510 − 84) / 18 = 23.667; Z = 10/√23.667 = 2.05557.
    const r = mannKendall([1, 2, 2, 3, 3, 3]);
    expect(r.s).toBe(11);
    expect(r.varS).toBeCloseTo(426 / 18, 12);
    expect(r.z).toBeCloseTo(10 / Math.sqrt(426 / 18), 12);
  });

  it('Z is 0 for S = 0 and (S + 1)/√Var for a fall; a p far in the tail is kept, not rounded to 0', () => {
    expect(mannKendall([1, 2, 2, 1])).toMatchObject({ s: 0, z: 0, p: 1 });
    const fall = mannKendall([5, 4, 3, 2, 1]);
    expect(fall.s).toBe(-10);
    expect(fall.z).toBeCloseTo(-9 / Math.sqrt(300 / 18), 12);
    expect(fall.p).toBeCloseTo(mannKendall([1, 2, 3, 4, 5]).p, 15); // two-sided: the same for a fall as for a rise
    // A perfect rise over 40 points: S = 780, Var = 40·39·85/18 = 7366.67, Z = 779/85.829 = 9.0762;
    // 2(1 − Φ(9.0762)) ≈ 1.1e-19 — 1 − Φ by subtraction would give 0.
    const long = mannKendall(Array.from({ length: 40 }, (_, i) => i));
    expect(long.z).toBeCloseTo(779 / Math.sqrt((40 * 39 * 85) / 18), 10);
    expect(long.p).toBeGreaterThan(1e-20);
    expect(long.p).toBeLessThan(1e-18);
  });
});

describe('Sen\'s slope', () => {
  it('is the median of the pairwise slopes (worked by hand)', () => {
    // x = 1, 3, 2, 5, 4 at t = 0..4. Slopes: 2, 0.5, 1.333, 0.75, −1, 1, 0.333, 3, 1, −1;
    // sorted −1, −1, 0.333, 0.5, 0.75, 1, 1, 1.333, 2, 3 → median (0.75 + 1)/2 = 0.875.
    expect(senSlope([1, 3, 2, 5, 4].map((x, t) => ({ t, x })))).toBeCloseTo(0.875, 12);
  });
  it('uses the time between points, so a missing month does not shrink the slope', () => {
    // 1 per month with month 2 missing: every pairwise slope is 1.
    expect(senSlope([{ t: 0, x: 10 }, { t: 1, x: 11 }, { t: 3, x: 13 }, { t: 4, x: 14 }])).toBe(1);
    expect(senSlope([{ t: 0, x: 1 }])).toBeNull();
  });
});

describe('verdicts', () => {
  const rules: TrendRules = {
    windowMonths: 24, minMonths: 10, alpha: 0.05, referenceLagMonths: 12,
    labels: { rising: '反弹', halted: '遏制', falling: '改善', none: '无显著趋势', insufficient: '数据不足' },
  };
  /** Monthly values ending at 2023-07, oldest first. */
  const series = (values: readonly number[]) => values.map((value, i) => ({ month: addMonths('2023-07', i - values.length + 1), value }));
  const wiggle = (i: number) => [0.3, -0.2, 0.1, -0.3, 0.2, -0.1][i % 6] as number;

  it('a significant rise is 反弹, with Sen\'s slope per year', () => {
    const t = analyseTrend(series(Array.from({ length: 24 }, (_, i) => 3 + 0.1 * i + wiggle(i) * 0.1)), '2023-07', rules);
    expect(t.verdict).toBe('rising');
    expect(t.label).toBe('反弹');
    expect(t.now.senSlopePerYear).toBeCloseTo(1.2, 1);
    expect(t.now).toMatchObject({ from: '2021-08', to: '2023-07' });
  });
  it('a significant fall is 改善', () => {
    expect(analyseTrend(series(Array.from({ length: 24 }, (_, i) => 5 - 0.1 * i)), '2023-07', rules).verdict).toBe('falling');
  });
  it('no longer significant now after a significant rise in the window a year earlier is 遏制', () => {
    // 24 months rising to 2022-07, then 12 months falling back: the window ending 2022-07 rose; the one
    // ending 2023-07 holds 12 of the rising months and the 12 falling ones — a hump, no significant trend.
    const values = [...Array.from({ length: 24 }, (_, i) => 2 + 0.1 * i), ...Array.from({ length: 12 }, (_, i) => 4.25 - 0.1 * i)];
    const t = analyseTrend(series(values), '2023-07', rules);
    expect(t.reference.test?.p).toBeLessThan(0.05);
    expect(t.now.test?.p).toBeGreaterThan(0.05);
    expect(t.verdict).toBe('halted');
  });
  it('no significant trend and no earlier rise is 无显著趋势; too few months is 数据不足', () => {
    expect(analyseTrend(series(Array.from({ length: 24 }, (_, i) => 4 + wiggle(i))), '2023-07', rules).verdict).toBe('none');
    const short = analyseTrend(series(Array.from({ length: 9 }, (_, i) => i)), '2023-07', rules);
    expect(short).toMatchObject({ verdict: 'insufficient', label: '数据不足' });
    expect(short.now.test).toBeNull();
    expect(analyseTrend(series(Array.from({ length: 10 }, (_, i) => i)), '2023-07', rules).verdict).toBe('rising');
  });
  it('months outside the window do not count', () => {
    const t = analyseTrend(series(Array.from({ length: 30 }, (_, i) => i)), '2023-07', rules);
    expect(t.now.series).toHaveLength(24);
  });
});

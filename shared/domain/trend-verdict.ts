/**
 * What a trend test says for the work plan's goal "总氮反弹趋势得到遏制" — the verdicts, defined:
 *
 * - 数据不足 (insufficient): fewer than `minMonths` months with a monthly mean in the window;
 * - 反弹 (rising): a significant upward trend over the window (S > 0 and p < alpha);
 * - 改善 (falling): a significant downward trend over the window (S < 0 and p < alpha);
 * - 遏制 (halted): no significant trend over the window now, while the same test over the window
 *   that ended `referenceLagMonths` earlier showed a significant rise — the rise has stopped, or is
 *   no longer significant;
 * - 无显著趋势 (none): no significant trend now, and none known to have been rising before (the
 *   earlier window rose not significantly, fell, or had too few months to say).
 * The labels, the window, the minimum, alpha and the lag are configuration (config/supervision.json).
 */
import { addMonths, monthIndexDiff } from './months.js';
import { type MannKendall, mannKendall, senSlope } from './trend.js';
import type { TrendRules, TrendVerdict } from './trend-rules.js';

export { TREND_VERDICTS, type TrendRules, type TrendVerdict } from './trend-rules.js';

export interface WindowTest {
  readonly from: string;
  readonly to: string;
  /** Months with a value in the window, oldest first. */
  readonly series: readonly { readonly month: string; readonly value: number }[];
  /** Null when the window has fewer than the minimum months. */
  readonly test: MannKendall | null;
  /** Sen's slope per year (×12 of the per-month slope); null when not tested. */
  readonly senSlopePerYear: number | null;
}

export interface TrendAnalysis {
  readonly now: WindowTest;
  readonly reference: WindowTest;
  readonly verdict: TrendVerdict;
  readonly label: string;
}

export function testWindow(series: readonly { readonly month: string; readonly value: number }[], to: string, rules: TrendRules): WindowTest {
  const from = addMonths(to, 1 - rules.windowMonths);
  const inWindow = series.filter((p) => p.month >= from && p.month <= to).sort((a, b) => (a.month < b.month ? -1 : 1));
  if (inWindow.length < rules.minMonths || inWindow.length < 2) return { from, to, series: inWindow, test: null, senSlopePerYear: null };
  const slope = senSlope(inWindow.map((p) => ({ t: monthIndexDiff(from, p.month), x: p.value })));
  return { from, to, series: inWindow, test: mannKendall(inWindow.map((p) => p.value)), senSlopePerYear: slope === null ? null : slope * 12 };
}

const significant = (t: MannKendall | null, alpha: number, sign: 1 | -1) => t !== null && t.p < alpha && Math.sign(t.s) === sign;

/** The verdict for the window ending at `month`, against the window `referenceLagMonths` earlier. */
export function analyseTrend(series: readonly { readonly month: string; readonly value: number }[], month: string, rules: TrendRules): TrendAnalysis {
  const now = testWindow(series, month, rules);
  const reference = testWindow(series, addMonths(month, -rules.referenceLagMonths), rules);
  const verdict: TrendVerdict = now.test === null ? 'insufficient'
    : significant(now.test, rules.alpha, 1) ? 'rising'
      : significant(now.test, rules.alpha, -1) ? 'falling'
        : significant(reference.test, rules.alpha, 1) ? 'halted' : 'none';
  return { now, reference, verdict, label: rules.labels[verdict] };
}

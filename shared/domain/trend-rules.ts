/**
 * The trend verdicts and the settings that decide them (shared/domain/trend-verdict.ts defines what
 * each means). Apart from the test itself, so what validates the settings (shared/config/supervision.ts)
 * does not carry the statistics into every function that loads them.
 */
export const TREND_VERDICTS = ['rising', 'halted', 'falling', 'none', 'insufficient'] as const;
export type TrendVerdict = (typeof TREND_VERDICTS)[number];

export interface TrendRules {
  readonly windowMonths: number;
  readonly minMonths: number;
  readonly alpha: number;
  readonly referenceLagMonths: number;
  readonly labels: Readonly<Record<TrendVerdict, string>>;
}

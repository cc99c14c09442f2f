/**
 * The history the shipped samples need for a meaningful July 2023 bulletin: June 2023 (环比), July
 * 2022 (同比), January–July of 2022 and 2023 (year to date) and 24 months of 四新河's TN (the trend)
 * — August 2021 to June 2023 but May 2023, which ships hourly. Written as the daily-mean exports a
 * station platform produces (one row per section and day) and the monthly manual reports, from the
 * same generator and each year's own seed, so the repo stays small and the data continue the hourly
 * months exactly (2023's series is the shipped months' series).
 *
 * Past years are generated without flood-season storms: the flood-season rule judges any day a file
 * brings, however old (it has no lateness guard), so back-loading last summer's storms would announce
 * them as if they were news.
 */
import { monthsBetween } from '../../shared/domain/months.js';
import { generateSamples } from './generate.js';

export const HISTORY = { from: '2021-08', to: '2023-06', shippedHourly: ['2023-05'] } as const;

export function generateHistory(outDir: string): string[] {
  const months = monthsBetween(HISTORY.from, HISTORY.to).filter((m) => !(HISTORY.shippedHourly as readonly string[]).includes(m));
  const byYear = new Map<number, number[]>();
  for (const m of months) {
    const y = Number(m.slice(0, 4));
    byYear.set(y, [...(byYear.get(y) ?? []), Number(m.slice(5, 7))]);
  }
  return [...byYear].flatMap(([year, ms]) => generateSamples({ outDir, year, months: ms, form: 'daily', storms: false }));
}


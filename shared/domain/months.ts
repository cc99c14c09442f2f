/**
 * Calendar months as `YYYY-MM` strings: the supervision work's unit of time. Pure arithmetic on
 * the local calendar (the day parts are already keyed by local day).
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `s` is a month `YYYY-MM` (01–12). */
export function isMonth(s: string): boolean {
  return MONTH.test(s);
}

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(year).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive, oldest first (empty when from > to). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Months elapsed from `from` to `to` (negative when `to` is earlier). */
export function monthIndexDiff(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** Days in a month. */
export function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

export const firstDay = (month: string) => `${month}-01`;
export const lastDay = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
export const monthOfDay = (day: string) => day.slice(0, 7);

/** The calendar day `n` days after `day` (YYYY-MM-DD; negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

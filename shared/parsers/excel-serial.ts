/**
 * Excel stores a date and time as a serial day number: days since the workbook's epoch, the time
 * of day as the fraction. It carries no zone: it is the wall clock of whoever typed it or of the
 * station that exported it, so it becomes local wall-clock text, read in the site's zone later.
 */

const DAY_MS = 86_400_000;
/** 9999-12-31, the last day Excel shows. */
const MAX_SERIAL = 2_958_466;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `45122.3333…` → `2023-07-15 08:00:00`, to the nearest second. In the 1900 date system Excel
 * counts 29 February 1900, a day that never was (Lotus 1-2-3's bug, kept for compatibility): serial
 * 60 is that day (null here), serials below it are a day later than a plain count from 1899-12-31
 * would make them, serials above it match a count from 1899-12-30. In the 1904 system (old Mac
 * workbooks) serial 0 is 1904-01-01. A serial below 1 is a time of day alone (`08:00:00`): a cell
 * formatted as a clock. Null for what is no date Excel could show (negative, past 9999, not finite).
 */
export function excelSerialToWallClock(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= MAX_SERIAL) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds === 86_400) { days++; seconds = 0; }
  const clock = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  if (days === 0) return clock;
  let epoch: number;
  if (date1904) epoch = Date.UTC(1904, 0, 1);
  else if (days === 60) return null;
  else epoch = days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock}`;
}

/**
 * The serial (1900 system) of a wall-clock time held in a Date's UTC fields, as exceljs returns a
 * date-formatted cell. exceljs converts without the 1900 bug, so this undoes its conversion exactly.
 */
export function serialOfUtcWallClock(date: Date): number {
  return date.getTime() / DAY_MS + 25_569;
}

/**
 * What the command line accepts, checked where commander reads it: a bad value becomes one line
 * naming the option, the value and what was expected (commander prints it; `main` exits 2).
 */
import { InvalidArgumentError } from 'commander';
import { IANAZone } from 'luxon';
import { DEFAULT_ZONE, formatInstant, parseTime, zonedToInstant } from '../../shared/domain/time.js';
import { DEFAULT_MIN_PLAUSIBLE_YEAR } from '../../shared/limits.js';

/** A bad argument found after commander's own checks (two options that contradict each other…): exit 2. */
export class UsageError extends Error {}

const INTEGER = /^\d+$/;

/** A TCP port; 0 lets the system pick a free one. */
export function portArg(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || n > 65535) throw new InvalidArgumentError('Expected a port number from 0 to 65535 (0 picks a free port).');
  return n;
}

/** A four-digit calendar year, not before the earliest plausible monitoring data. */
export function yearArg(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value.trim()) || n < DEFAULT_MIN_PLAUSIBLE_YEAR) {
    throw new InvalidArgumentError(`Expected a four-digit year from ${DEFAULT_MIN_PLAUSIBLE_YEAR}, e.g. 2023.`);
  }
  return n;
}

/** Months 1–12 as a comma list (`7`, `6,7,8`), each once, in order. */
export function monthsArg(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !INTEGER.test(p) || Number(p) < 1 || Number(p) > 12);
  if (bad !== undefined) throw new InvalidArgumentError(`Expected months from 1 to 12, e.g. 7 or 6,7,8 (got '${bad}').`);
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

/** An IANA time zone name (the default zone's kind). */
export function zoneArg(value: string): string {
  if (!IANAZone.isValidZone(value)) throw new InvalidArgumentError(`Expected an IANA time zone such as ${DEFAULT_ZONE}.`);
  return value;
}

const DATE_ONLY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const TIME_EXAMPLES = 'a date or time, e.g. 2023-07-15, 2023-07-15 08:00 or 2023-07-15T08:00:00+08:00';

/**
 * The start of a time range: a time, or a date meaning the start of that day. For the end of a
 * range see `rangeEndArg`.
 */
export function rangeStartArg(value: string): number {
  const t = parseTime(value);
  if (t === null) throw new InvalidArgumentError(`Expected ${TIME_EXAMPLES}.`);
  return t;
}

/**
 * The end of a time range (inclusive): a time, or a date meaning the whole of that day — the last
 * millisecond before the next day starts — so `--to 2023-08-01` covers 1 August.
 */
export function rangeEndArg(value: string): number {
  const t = rangeStartArg(value);
  const m = DATE_ONLY.exec(value.trim());
  if (!m) return t;
  const [y, mo, d] = (m[1] ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]]).map(Number) as [number, number, number];
  return zonedToInstant(y, mo, d + 1, 0, 0, 0, 0) - 1;
}

/** A from–to range in order, or a UsageError that says which way round it should be. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new UsageError(`--from (${formatInstant(from)}) is after --to (${formatInstant(to)}): expected --from at or before --to`);
  }
}

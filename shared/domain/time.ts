/**
 * Instants and local times. Monitoring systems write naive local times; they are read in the
 * site's zone (Asia/Shanghai unless configured) and printed as ISO 8601 with that zone's offset.
 * Zone rules come from luxon (IANA data via Intl); offsets are cached per zone and hour, because
 * a 100 MB file asks the same question a million times.
 */
import { IANAZone } from 'luxon';

export const DEFAULT_ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;

const zones = new Map<string, { zone: IANAZone; offsets: Map<number, number>; starts: Map<number, number> }>();

function zoneEntry(name: string) {
  let e = zones.get(name);
  if (!e) {
    const zone = IANAZone.create(name);
    if (!zone.isValid) throw new Error(`unknown time zone '${name}'`);
    e = { zone, offsets: new Map(), starts: new Map() };
    zones.set(name, e);
  }
  return e;
}

/**
 * The zone's UTC offset in minutes at instant `ms`. Cached per UTC day when the offset is the same
 * at both ends of the day (nearly always), per minute on the days a zone changes its clocks.
 */
export function offsetMinutes(ms: number, zoneName: string = DEFAULT_ZONE): number {
  const e = zoneEntry(zoneName);
  const day = Math.floor(ms / DAY);
  let off = e.offsets.get(day);
  if (off === undefined) {
    // The offset at the next midnight serves as this day's end (a change at midnight itself sends
    // the day to the per-minute path, still right) and as the next day's start: one Intl call per
    // day of a file in time order, each some 30 µs.
    const start = dayStart(e, day);
    off = start === dayStart(e, day + 1) ? start : CHANGES_TODAY;
    if (e.offsets.size > 100_000) e.offsets.clear();
    e.offsets.set(day, off);
  }
  if (!Number.isNaN(off)) return off;
  // A day the clocks change: per minute, since zones change at the half hour too (Lord Howe,
  // St John's). Negative keys keep minutes apart from the day keys.
  const minuteKey = -1 - Math.floor(ms / MINUTE);
  let m = e.offsets.get(minuteKey);
  if (m === undefined) {
    m = e.zone.offset(ms);
    e.offsets.set(minuteKey, m);
  }
  return m;
}

const DAY = 24 * HOUR;
const MINUTE = 60_000;
const CHANGES_TODAY = Number.NaN;

/** The zone's offset at 00:00 UTC of `day`, remembered. */
function dayStart(e: ReturnType<typeof zoneEntry>, day: number): number {
  let o = e.starts.get(day);
  if (o === undefined) {
    o = e.zone.offset(day * DAY);
    if (e.starts.size > 100_000) e.starts.clear();
    e.starts.set(day, o);
  }
  return o;
}

/**
 * Wall-clock time in `zone` → instant (ms). A time that falls in a DST gap or overlap resolves to
 * the offset in force just after the change (Asia/Shanghai has had none since 1991).
 */
export function zonedToInstant(
  y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zoneName: string = DEFAULT_ZONE,
): number {
  const wall = utc(y, mo, d, h, mi, s, ms);
  const guess = wall - offsetMinutes(wall, zoneName) * 60_000;
  const off2 = offsetMinutes(guess, zoneName);
  return wall - off2 * 60_000;
}

/**
 * Date.UTC for any year: Date.UTC reads years 0–99 as 1900–1999, which turned `0001-01-01` into
 * 1901. The common case (a four-digit modern year) takes the direct path.
 */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  t.setUTCFullYear(y);
  return t.getTime();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601's year: four digits, or a sign and six beyond 0000–9999. */
const isoYear = (y: number) => (y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`);

/**
 * ISO 8601 with the zone's offset, seconds precision unless the instant has milliseconds. Zones
 * kept local mean time before standard time (Asia/Shanghai: +08:05:43 before 1901): such an offset
 * is printed with its seconds, as java.time and Temporal print it, so the text names the instant exactly.
 */
export function formatInstant(ms: number, zoneName: string = DEFAULT_ZONE): string {
  const offSeconds = Math.round(offsetMinutes(ms, zoneName) * 60);
  const t = new Date(ms + offSeconds * 1000);
  const sign = offSeconds < 0 ? '-' : '+';
  const a = Math.abs(offSeconds);
  const frac = t.getUTCMilliseconds() ? `.${pad(t.getUTCMilliseconds(), 3)}` : '';
  const offset = `${sign}${pad(Math.floor(a / 3600))}:${pad(Math.floor(a / 60) % 60)}${a % 60 ? `:${pad(a % 60)}` : ''}`;
  return `${isoYear(t.getUTCFullYear())}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac}${offset}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, zoneName: string = DEFAULT_ZONE): string {
  return formatInstant(ms, zoneName).slice(0, 10);
}

/** Minutes may be left out: hourly reports write the hour alone (`2023-07-15 08`). */
const ISO_OR_LOCAL =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/** `20230715080000` (HJ 212), `202307150800`, and the date alone, `20230715`. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?(\d{3})?)?$/;
/** `20230715 08:00`: a compact date before a clock, read as `2023-07-15 08:00`. */
const COMPACT_DATE_THEN_CLOCK = /^(\d{4})(\d{2})(\d{2})([T\s])/;

/** `2023年7月15日 8时30分` → `2023-7-15 8:30`. */
function chineseToIso(s: string): string {
  if (!/[年月日时分秒]/.test(s)) return s;
  return s.replace(/[年月]/g, '-').replace(/日\s*/, ' ').replace(/(\d)时$/, '$1:00').replace(/[时分]/g, ':')
    .replace(/秒/, '').replace(/:$/, '').trim();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, mo: number): number {
  return mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[mo - 1] as number;
}

function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 24 || mi > 59 || s > 60) return false;
  return d <= daysInMonth(y, mo) && !(h === 24 && (mi > 0 || s > 0));
}

/** Digits at `text[i, i+n)` as a number, or -1 when any is not a digit. */
function digits(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = text.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isDateSep = (c: number) => c === 45 || c === 47 || c === 46; // - / .

/**
 * The naive local forms nearly every export writes — `2023-07-15 08:00:00`, `2023/7/15 8:00`,
 * `2023-07-15` — read without a regular expression: a 100 MB file asks a million times. Returns the
 * instant, null when the text has that form but is no valid time, or undefined for any other form
 * (the general parser then decides). Accepts exactly what ISO_OR_LOCAL accepts for these forms.
 */
function parseLocalFast(s: string, zoneName: string): number | null | undefined {
  const n = s.length;
  if (n < 8 || !isDateSep(s.charCodeAt(4))) return undefined;
  const y = digits(s, 0, 4);
  if (y < 0) return undefined;
  // Each field is one or two digits; `end` is where the field at `i` stops (no closure per call).
  let i = 5;
  let end = fieldEnd(s, i);
  if (end < 0 || end >= n || !isDateSep(s.charCodeAt(end))) return undefined;
  const mo = digits(s, i, end - i);
  i = end + 1;
  end = fieldEnd(s, i);
  if (end < 0) return undefined;
  const d = digits(s, i, end - i);
  i = end;
  let h = 0, mi = 0, sec = 0;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 32 && sep !== 84) return undefined; // one space or T, nothing else here
    end = fieldEnd(s, ++i);
    if (end < 0 || end >= n || s.charCodeAt(end) !== 58) return undefined;
    h = digits(s, i, end - i);
    i = end + 1;
    end = fieldEnd(s, i);
    if (end < 0) return undefined;
    mi = digits(s, i, end - i);
    i = end;
    if (i < n) {
      if (s.charCodeAt(i) !== 58) return undefined;
      end = fieldEnd(s, ++i);
      if (end < 0 || end < n) return undefined; // fractions, zones: the general parser
      sec = digits(s, i, end - i);
    }
  }
  if (!valid(y, mo, d, h, mi, sec)) return null;
  return zonedToInstant(y, mo, d, h, mi, sec, 0, zoneName);
}

/** Where a field of one or two digits starting at `i` ends, or -1 when no digit is there. */
function fieldEnd(s: string, i: number): number {
  if (i >= s.length || !isDigit(s.charCodeAt(i))) return -1;
  return i + 1 < s.length && isDigit(s.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

/**
 * Parses the time forms monitoring systems write: `2023-07-15 08:00:00`, `2023/7/15 8:00`,
 * `2023-07-15 08` (an hourly report's hour), `2023-07-15`, `20230715080000` (HJ 212 style, optional ms;
 * also `20230715` and `20230715 08:00`), ISO 8601 with `Z` or an offset,
 * `2023年7月15日 8时`. Naive times are read in `zoneName`. Returns null when it is not a time.
 */
export function parseTime(text: string, zoneName: string = DEFAULT_ZONE): number | null {
  const s = text.trim();
  const fast = parseLocalFast(s, zoneName);
  if (fast !== undefined) return fast;
  let m = COMPACT.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec, msec] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0', m[7] ?? '0'].map(Number) as number[];
    if (!valid(y!, mo!, d!, h!, mi!, sec!)) return null;
    return zonedToInstant(y!, mo!, d!, h!, mi!, sec!, msec!, zoneName);
  }
  m = ISO_OR_LOCAL.exec(chineseToIso(s.replace(COMPACT_DATE_THEN_CLOCK, '$1-$2-$3$4')));
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const h = Number(m[4] ?? 0), mi = Number(m[5] ?? 0), sec = Number(m[6] ?? 0);
  const msec = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (!valid(y, mo, d, h, mi, sec)) return null;
  const tz = m[8];
  if (!tz) return zonedToInstant(y, mo, d, h, mi, sec, msec, zoneName);
  const at = utc(y, mo, d, h, mi, sec, msec);
  if (tz.toUpperCase() === 'Z') return at;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return at - sign * offMin * 60_000;
}

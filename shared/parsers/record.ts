/**
 * Turns one raw record (a table row, a JSON object) into a Sample, or says in words why it cannot
 * be one. Shared by every format so they treat the same faults the same way:
 * - a record that cannot be a sample at all (no site, a bad, future or implausible time, no valid
 *   value left) is rejected with every reason;
 * - a value that cannot be kept (not a number, implausible, too long) is dropped and reported as a
 *   cell fault; the sample keeps the rest;
 * - a blank or a missing marker (`--`, `#N/A`, `缺测`…) is simply absent, and counted.
 */
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { implausibility } from '../domain/sample.js';
import type { SiteRegistry } from '../domain/sites.js';
import { formatInstant, parseTime } from '../domain/time.js';
import { DEFAULT_MIN_PLAUSIBLE_YEAR, MAX_CELL_CHARS, MAX_QUOTED_CHARS, MAX_SITE_NAME_CHARS } from '../limits.js';
import { hasControlChars, quote, safeText } from '../safe-text.js';
import type { CellFault } from './types.js';
import { parseCell } from './values.js';

export interface RecordContext {
  readonly file: string;
  readonly registry: SiteRegistry;
  /** Zone in which naive local times are read. */
  readonly zone: string;
  /** Times later than this (epoch ms) are rejected as lying in the future. */
  readonly notAfter: number;
  /** Times before 1 January of this year (in `zone`) are rejected as implausible (default 1970). */
  readonly minYear?: number;
  /** Site named by the file (its title or metadata, its S3 key or name), used when a record names none. */
  readonly fileSite?: string;
  /** One line or record, in bytes (MAX_LINE_BYTES unless a test says less). */
  readonly maxLineBytes?: number;
}

export interface RawCell {
  readonly param: ParamId;
  /** Factor from the cell's unit to the catalogue's. */
  readonly factor: number;
  readonly raw: string | number | null | undefined;
  /** Where the value came from, for messages: a column header or a JSON key. */
  readonly label: string;
  /** The line the cell is on when it is not the record's (long layout: a row per indicator). */
  readonly line?: number;
}

export interface RawRecord {
  readonly line: number;
  /** The workbook sheet the record is on (Excel). */
  readonly sheet?: string | undefined;
  readonly site?: string | undefined;
  readonly time?: string | number | undefined;
  readonly cells: readonly RawCell[];
  readonly flags?: Partial<Record<ParamId, string>>;
  readonly unknown?: Record<string, string | number>;
  /** Values already dropped by the reader (a unit it cannot convert…), reported with the record's. */
  readonly faults?: readonly CellFault[];
}

export type RecordOutcome =
  | { readonly ok: true; readonly sample: Sample; readonly faults: readonly CellFault[] | undefined; readonly missing: number }
  | { readonly ok: false; readonly reason: string; readonly missing: number };

const PLAIN_NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/** Accepted clock skew between a station and this machine before a time counts as future. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

let lastTimeText = '';
let lastTimeZone = '';
let lastTime: number | null = null;

export function parseRecordTime(raw: string | number, zone: string): number | null {
  if (typeof raw === 'string') {
    // Wide files repeat a time on consecutive rows (one per site): parse each distinct text once.
    if (raw === lastTimeText && zone === lastTimeZone) return lastTime;
    lastTime = parseTime(raw, zone);
    lastTimeText = raw;
    lastTimeZone = zone;
    return lastTime;
  }
  {
    // 20230715080000 written as a JSON number; otherwise epoch milliseconds.
    if (raw >= 1e13 && raw < 1e14 && Number.isInteger(raw)) return parseTime(String(raw), zone);
    return Number.isFinite(raw) && raw > 0 ? raw : null;
  }
}

/** Why a site name as written cannot be a site (it becomes part of storage keys and messages), or null. */
export function siteNameProblem(name: string): string | null {
  if (name.length > MAX_SITE_NAME_CHARS) {
    return `site name is longer than ${MAX_SITE_NAME_CHARS} characters (${name.length}): ${quote(name)}`;
  }
  if (hasControlChars(name)) return `site name holds control characters: ${quote(name)}`;
  return null;
}

const NOT_A_NUMBER = 'not a number (expected a number such as 0.52 or 1,182, a below-detection form such as 0.01L, or a missing marker such as --)';
const TOO_LONG = `longer than ${MAX_CELL_CHARS} characters`;

/** The cell as written, safe to show in a fault. */
export function shownValue(raw: unknown): string {
  return safeText(typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw), { max: MAX_QUOTED_CHARS });
}

let floorYear = NaN;
let floorZone = '';
let floorAt = 0;

/** The earliest plausible time for the context (1 January of its floor year, local). */
export function earliestTime(ctx: RecordContext): number {
  return yearStart(ctx.minYear ?? DEFAULT_MIN_PLAUSIBLE_YEAR, ctx.zone);
}

/** 1 January of `year`, 00:00 in `zone`, as epoch ms (the last answer kept: asked once per row). */
function yearStart(year: number, zone: string): number {
  if (year !== floorYear || zone !== floorZone) {
    floorAt = parseTime(`${String(year).padStart(4, '0')}-01-01 00:00:00`, zone) ?? Date.UTC(year, 0, 1);
    floorYear = year;
    floorZone = zone;
  }
  return floorAt;
}

function cellFault(rec: RawRecord, cell: RawCell, reason: string): CellFault {
  return {
    line: cell.line ?? rec.line, ...(rec.sheet !== undefined ? { sheet: rec.sheet } : {}),
    param: cell.param, value: shownValue(cell.raw), reason: `${cell.label}: ${reason}`,
  };
}

export function buildSample(rec: RawRecord, ctx: RecordContext): RecordOutcome {
  const problems: string[] = [];
  const siteText = rec.site === undefined || String(rec.site).trim() === '' ? ctx.fileSite : String(rec.site).trim();
  if (!siteText) problems.push('site is missing');
  else {
    const why = siteNameProblem(siteText);
    if (why) problems.push(why);
  }

  let time: number | null = null;
  if (rec.time === undefined || rec.time === null || String(rec.time).trim() === '') {
    problems.push('time is missing');
  } else if (typeof rec.time === 'string' && rec.time.length > MAX_CELL_CHARS) {
    problems.push(`time is longer than ${MAX_CELL_CHARS} characters: ${quote(rec.time)}`);
  } else {
    time = parseRecordTime(rec.time, ctx.zone);
    const minYear = ctx.minYear ?? DEFAULT_MIN_PLAUSIBLE_YEAR;
    if (time === null) {
      problems.push(`time ${quote(rec.time)} is not a date and time (expected e.g. 2023-07-15 08:00:00, 2023/7/15 8:00, 20230715080000 or ISO 8601)`);
    } else if (time > ctx.notAfter) {
      problems.push(`time ${quote(rec.time)} lies in the future (after ${formatInstant(ctx.notAfter, ctx.zone)})`);
    } else if (time < yearStart(minYear, ctx.zone)) {
      problems.push(`time ${quote(rec.time)} lies before ${minYear}: not a plausible monitoring time`);
    }
  }

  const values: Partial<Record<ParamId, number>> = {};
  const flags: Partial<Record<ParamId, string>> = {};
  let belowDetection: Partial<Record<ParamId, true>> | undefined;
  let faults: CellFault[] | undefined = rec.faults ? [...rec.faults] : undefined;
  let missing = 0;
  let any = false;
  for (const cell of rec.cells) {
    const raw = cell.raw;
    // Fast path for the common case, a plain decimal number, without building a CellValue.
    if (typeof raw === 'string' && PLAIN_NUMBER.test(raw)) {
      const v = Number(raw) * cell.factor;
      const why = implausibility(cell.param, v);
      if (why) { (faults ??= []).push(cellFault(rec, cell, why)); continue; }
      values[cell.param] = v;
      any = true;
      continue;
    }
    if (typeof raw === 'string' && raw.length > MAX_CELL_CHARS) { (faults ??= []).push(cellFault(rec, cell, TOO_LONG)); continue; }
    const c = parseCell(raw);
    switch (c.kind) {
      case 'missing':
        missing++;
        continue;
      case 'invalid':
        (faults ??= []).push(cellFault(rec, cell, NOT_A_NUMBER));
        continue;
      case 'number': {
        const v = c.value * cell.factor;
        const why = implausibility(cell.param, v);
        if (why) { (faults ??= []).push(cellFault(rec, cell, why)); continue; }
        values[cell.param] = v;
        any = true;
        continue;
      }
      case 'below':
        if (c.limit === undefined) {
          // Not detected, limit not given: no number can be stored without inventing one.
          flags[cell.param] = 'ND';
        } else {
          values[cell.param] = c.limit * cell.factor;
          (belowDetection ??= {})[cell.param] = true;
        }
        any = true;
        continue;
    }
  }
  if (rec.flags) {
    for (const p in rec.flags) {
      const flag = (rec.flags[p as ParamId] as string).trim();
      if (flag !== '' && flags[p as ParamId] === undefined) flags[p as ParamId] = flag;
    }
  }
  const hasUnknown = rec.unknown !== undefined && hasKeys(rec.unknown);
  if (!any && !hasUnknown && problems.length === 0) {
    problems.push(faults ? 'no indicator has a valid value' : 'no indicator has a value');
  }
  if (problems.length > 0) {
    // The record is lost as a whole: what was wrong with its cells belongs to the same reason.
    for (const f of faults ?? []) problems.push(`${f.reason}, got ${quote(f.value)}`);
    return { ok: false, reason: safeText(problems.join('; ')), missing };
  }

  const site = ctx.registry.resolve(siteText as string);
  // Built field by field, not with conditional spreads: this runs once per row of a 1 GB file.
  const sample: { -readonly [K in keyof Sample]: Sample[K] } = {
    site: site.id, registered: site.registered, time: time as number, values, flags,
    source: rec.sheet === undefined ? { file: ctx.file, line: rec.line } : { file: ctx.file, line: rec.line, sheet: rec.sheet },
  };
  if (belowDetection) sample.belowDetection = belowDetection;
  if (hasUnknown) sample.unknown = rec.unknown;
  return { ok: true, sample, faults, missing };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}


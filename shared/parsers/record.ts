/**
 * Turns one raw record (a CSV row, a JSON object) into a Sample, or says in words why it cannot be
 * one. Shared by every text format so they reject the same things the same way.
 */
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { implausibility } from '../domain/sample.js';
import type { SiteRegistry } from '../domain/sites.js';
import { formatInstant, parseTime } from '../domain/time.js';
import { parseCell } from './values.js';

export interface RecordContext {
  readonly file: string;
  readonly registry: SiteRegistry;
  /** Zone in which naive local times are read. */
  readonly zone: string;
  /** Times later than this (epoch ms) are rejected as lying in the future. */
  readonly notAfter: number;
  /** Site named by the S3 key or file name, used when a record names none. */
  readonly fileSite?: string;
}

export interface RawCell {
  readonly param: ParamId;
  /** Factor from the cell's unit to the catalogue's. */
  readonly factor: number;
  readonly raw: string | number | null | undefined;
  /** Where the value came from, for messages: a column header or a JSON key. */
  readonly label: string;
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
}

export type RecordOutcome = { readonly ok: true; readonly sample: Sample } | { readonly ok: false; readonly reason: string };

const PLAIN_NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;

const show = (v: unknown) => `'${String(v)}'`;

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

/** Why a single cell cannot be stored, or null when it can (blank cells can: they are simply absent). */
export function cellProblem(cell: RawCell): string | null {
  const c = parseCell(cell.raw);
  if (c.kind === 'invalid') return `${cell.label} is not a number: ${show(c.text)}`;
  if (c.kind === 'number') {
    const why = implausibility(cell.param, c.value * cell.factor);
    return why ? `${cell.label}: ${why}` : null;
  }
  return null;
}

export function buildSample(rec: RawRecord, ctx: RecordContext): RecordOutcome {
  const problems: string[] = [];
  const siteText = rec.site === undefined || String(rec.site).trim() === '' ? ctx.fileSite : String(rec.site).trim();
  if (!siteText) problems.push('site is missing');

  let time: number | null = null;
  if (rec.time === undefined || rec.time === null || String(rec.time).trim() === '') {
    problems.push('time is missing');
  } else {
    time = parseRecordTime(rec.time, ctx.zone);
    if (time === null) {
      problems.push(`time ${show(rec.time)} is not a date and time (expected e.g. 2023-07-15 08:00:00, 2023/7/15 8:00, 20230715080000 or ISO 8601)`);
    } else if (time > ctx.notAfter) {
      problems.push(`time ${show(rec.time)} lies in the future (after ${formatInstant(ctx.notAfter, ctx.zone)})`);
    }
  }

  const values: Partial<Record<ParamId, number>> = {};
  const flags: Partial<Record<ParamId, string>> = {};
  let belowDetection: Partial<Record<ParamId, true>> | undefined;
  let any = false;
  for (const cell of rec.cells) {
    const raw = cell.raw;
    // Fast path for the common case, a plain decimal number, without building a CellValue.
    if (typeof raw === 'string' && PLAIN_NUMBER.test(raw)) {
      const v = Number(raw) * cell.factor;
      const why = implausibility(cell.param, v);
      if (why) { problems.push(`${cell.label}: ${why}`); continue; }
      values[cell.param] = v;
      any = true;
      continue;
    }
    const c = parseCell(raw);
    switch (c.kind) {
      case 'missing':
        continue;
      case 'invalid':
        problems.push(`${cell.label} is not a number: ${show(c.text)}`);
        continue;
      case 'number': {
        const v = c.value * cell.factor;
        const why = implausibility(cell.param, v);
        if (why) { problems.push(`${cell.label}: ${why}`); continue; }
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
  if (!any && !hasUnknown && problems.length === 0) problems.push('no indicator has a value');
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };

  const site = ctx.registry.resolve(siteText as string);
  // Built field by field, not with conditional spreads: this runs once per row of a 1 GB file.
  const sample: { -readonly [K in keyof Sample]: Sample[K] } = {
    site: site.id, registered: site.registered, time: time as number, values, flags,
    source: rec.sheet === undefined ? { file: ctx.file, line: rec.line } : { file: ctx.file, line: rec.line, sheet: rec.sheet },
  };
  if (belowDetection) sample.belowDetection = belowDetection;
  if (hasUnknown) sample.unknown = rec.unknown;
  return { ok: true, sample };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

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
  readonly site?: string | undefined;
  readonly time?: string | number | undefined;
  readonly cells: readonly RawCell[];
  readonly flags?: Partial<Record<ParamId, string>>;
  readonly unknown?: Record<string, string | number>;
}

export type RecordOutcome = { readonly ok: true; readonly sample: Sample } | { readonly ok: false; readonly reason: string };

const show = (v: unknown) => `'${String(v)}'`;

/** Accepted clock skew between a station and this machine before a time counts as future. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

export function parseRecordTime(raw: string | number, zone: string): number | null {
  if (typeof raw === 'number') {
    // 20230715080000 written as a JSON number; otherwise epoch milliseconds.
    if (raw >= 1e13 && raw < 1e14 && Number.isInteger(raw)) return parseTime(String(raw), zone);
    return Number.isFinite(raw) && raw > 0 ? raw : null;
  }
  return parseTime(raw, zone);
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
    const c = parseCell(cell.raw);
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
    for (const [p, f] of Object.entries(rec.flags) as [ParamId, string][]) {
      const flag = f.trim();
      if (flag !== '' && flags[p] === undefined) flags[p] = flag;
    }
  }
  const unknownKeys = rec.unknown ? Object.keys(rec.unknown) : [];
  if (!any && unknownKeys.length === 0 && problems.length === 0) problems.push('no indicator has a value');
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };

  const site = ctx.registry.resolve(siteText as string);
  return {
    ok: true,
    sample: {
      site: site.id, registered: site.registered, time: time as number, values, flags,
      ...(belowDetection ? { belowDetection } : {}),
      ...(unknownKeys.length > 0 ? { unknown: rec.unknown } : {}),
      source: { file: ctx.file, line: rec.line },
    },
  };
}

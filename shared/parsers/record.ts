/**
 * Turns one record (a table row, a JSON object) into a Sample, or says in words why it cannot be
 * one. Shared by every format so they treat the same faults the same way:
 * - a record that cannot be a sample at all (no site, a bad, future or implausible time, no valid
 *   value left) is rejected with every reason;
 * - a value that cannot be kept (not a number, implausible, too long) is dropped and reported as a
 *   cell fault; the sample keeps the rest;
 * - a blank or a missing marker (`--`, `#N/A`, `缺测`…) is simply absent, and counted.
 */
import type { ParamId } from '../domain/parameters.js';
import type { Sample, SourceRef } from '../domain/sample.js';
import { implausibility } from '../domain/sample.js';
import type { Site, SiteRegistry } from '../domain/sites.js';
import { formatInstant, parseTime } from '../domain/time.js';
import { DEFAULT_MIN_PLAUSIBLE_YEAR, MAX_CELL_CHARS, MAX_QUOTED_CHARS, MAX_SITE_NAME_CHARS } from '../limits.js';
import { hasControlChars, quote, safeText } from '../safe-text.js';
import type { CellFault } from './types.js';
import { parseCell, plainDecimal } from './values.js';

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

const PLAIN_NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/** Accepted clock skew between a station and this machine before a time counts as future. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

// Stryker disable next-line StringLiteral: a cache starts with a text no record is read with ('' is no time either way).
let lastTimeText = '';
// Stryker disable next-line StringLiteral: as above.
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

/**
 * The cell as written, safe to show in a fault. A number is written out as JavaScript writes it:
 * JSON.stringify would show a JSON `1e999` (read as Infinity) as `null`.
 */
export function shownValue(raw: string | number | null | undefined): string {
  return safeText(String(raw), { max: MAX_QUOTED_CHARS });
}

let floorYear = NaN;
// Stryker disable next-line StringLiteral: the first year asked for (NaN before) misses the cache whatever the zone.
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

/*
 * What is made once per record is made with `new`, not written as an object literal, on purpose.
 * V8 decides for each object-literal site whether to allocate its objects straight into the old
 * generation ("allocation-site pretenuring"), judging by how many of them outlive a scavenge while
 * the code still runs unoptimised; a batch of samples alive at that moment made it decide so in
 * most runs of the 100 MB bench file, and every sample then took a full collection to free (twice
 * the CPU time, 330 MB of RSS instead of 165 MB). Objects made by `new` carry no such site.
 */

/** A Sample as the parsers make it. */
export class ParsedSample implements Sample {
  declare belowDetection?: Partial<Record<ParamId, true>>;
  declare unknown?: Readonly<Record<string, number | string>>;
  constructor(
    readonly site: string, readonly registered: boolean, readonly time: number,
    readonly values: Partial<Record<ParamId, number>>, readonly flags: Partial<Record<ParamId, string>>, readonly source: SourceRef,
  ) {}
}

/** Where a sample of a text file comes from. */
export class LineSource implements SourceRef {
  constructor(readonly file: string, readonly line: number) {}
}

/** Where a sample of a workbook comes from. */
export class SheetSource implements SourceRef {
  constructor(readonly file: string, readonly line: number, readonly sheet: string) {}
}

/** Site texts SampleBuilder remembers. */
const RECENT_SITES = 8;

/**
 * One record's sample, built a cell at a time: `begin`, a `cell` per value, a `flag` per flag the
 * record gives, then `end` with its site and time. One builder serves a whole file, so a table row
 * costs no object per cell (a wide row hands its columns straight over) and no record object.
 */
export class SampleBuilder {
  private values: Partial<Record<ParamId, number>> = {};
  private flags: Partial<Record<ParamId, string>> = {};
  private below: Partial<Record<ParamId, true>> | undefined;
  // Stryker disable next-line BooleanLiteral: begin() sets it before each record.
  private any = false;
  /** The record's line and sheet (a cell may name a line of its own: a long table's row). */
  line = 0;
  sheet: string | undefined;
  /** The values dropped from the record being built, once `end` has run; undefined when none. */
  faults: CellFault[] | undefined;
  /** Its cells without a value (blank or a missing marker). */
  missing = 0;
  /**
   * The last few site texts and what was made of them (why it cannot be a site, or the site): a
   * file names the same few sites row after row, and comparing a short text with a few is cheaper
   * than looking it up by its hash (a new string's hash is worked out over all its characters).
   */
  // Stryker disable next-line ArrayDeclaration: the slots start empty; a made-up entry is never a site text asked for, and slot 0 is written first.
  private readonly recentText: string[] = [];
  // Stryker disable next-line ArrayDeclaration: as above: a slot's reason is read only once its text is written.
  private readonly recentWhy: (string | null)[] = [];
  private readonly recentSite: (Site | undefined)[] = [];
  private recentNext = 0;

  constructor(readonly ctx: RecordContext) {}

  begin(line: number, sheet: string | undefined, faults?: readonly CellFault[]): void {
    this.values = {};
    this.flags = {};
    this.below = undefined;
    this.any = false;
    this.line = line;
    this.sheet = sheet;
    this.faults = faults ? [...faults] : undefined;
    this.missing = 0;
  }

  /** One value as written; `label` says where it came from (a column, a key), `line` where when not the record's. */
  cell(param: ParamId, factor: number, raw: string | number | null | undefined, label: string, line?: number): void {
    if (typeof raw === 'string') {
      // The common case, a plain decimal number, without building a CellValue: read by hand (exact,
      // as Number() reads it) up to 15 digits, by Number() beyond. These are shortcuts only: skipped,
      // the cell gets the same answer from parseCell below.
      let v = plainDecimal(raw);
      // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut (above).
      if (v !== v) {
        // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut: parseCell('') is missing too.
        if (raw.length === 0) { this.missing++; return; }
        if (PLAIN_NUMBER.test(raw)) v = Number(raw);
      }
      // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut: parseCell reads a plain number to the same value.
      if (v === v) { this.value(param, v * factor, raw, label, line); return; }
      if (raw.length > MAX_CELL_CHARS) { this.fault(param, raw, label, line, TOO_LONG); return; }
    }
    const c = parseCell(raw);
    switch (c.kind) {
      case 'missing':
        this.missing++;
        return;
      case 'invalid':
        this.fault(param, raw, label, line, NOT_A_NUMBER);
        return;
      case 'number':
        this.value(param, c.value * factor, raw, label, line);
        return;
      case 'below':
        if (c.limit === undefined) {
          // Not detected, limit not given: no number can be stored without inventing one.
          this.flags[param] = 'ND';
        } else {
          this.values[param] = c.limit * factor;
          (this.below ??= {})[param] = true;
        }
        this.any = true;
    }
  }

  /** A flag the record gives a value (a flag column, a row's flag): kept unless the value set one (ND). */
  flag(param: ParamId, text: string): void {
    const flag = text.trim();
    if (flag !== '' && this.flags[param] === undefined) this.flags[param] = flag;
  }

  /**
   * The sample, or why the record cannot be one (every reason, its dropped cells' among them).
   * `site` and `time` as written; `unknown`: values under names bishui does not know, kept as written.
   */
  end(site: string | undefined, time: string | number | undefined | null, unknown?: Record<string, string | number>): Sample | string {
    const ctx = this.ctx;
    let problems: string[] | undefined;
    const written = site === undefined ? '' : site.trim();
    const siteText = written === '' ? ctx.fileSite : written;
    // Stryker disable next-line UnaryOperator: read only when the record names a site; without one it is rejected first.
    let recent = -1;
    if (!siteText) (problems ??= []).push('site is missing');
    else {
      recent = this.recentSiteOf(siteText);
      const why = this.recentWhy[recent];
      if (why) (problems ??= []).push(why);
    }

    let at: number | null = null;
    if (time === undefined || time === null || (typeof time === 'string' && time.trim() === '')) {
      (problems ??= []).push('time is missing');
    } else if (typeof time === 'string' && time.length > MAX_CELL_CHARS) {
      (problems ??= []).push(`time is longer than ${MAX_CELL_CHARS} characters: ${quote(time)}`);
    } else {
      at = parseRecordTime(time, ctx.zone);
      const minYear = ctx.minYear ?? DEFAULT_MIN_PLAUSIBLE_YEAR;
      if (at === null) {
        (problems ??= []).push(`time ${quote(time)} is not a date and time (expected e.g. 2023-07-15 08:00:00, 2023/7/15 8:00, 20230715080000 or ISO 8601)`);
      } else if (at > ctx.notAfter) {
        (problems ??= []).push(`time ${quote(time)} lies in the future (after ${formatInstant(ctx.notAfter, ctx.zone)})`);
      } else if (at < yearStart(minYear, ctx.zone)) {
        (problems ??= []).push(`time ${quote(time)} lies before ${minYear}: not a plausible monitoring time`);
      }
    }

    const hasUnknown = unknown !== undefined && hasKeys(unknown);
    if (!this.any && !hasUnknown && problems === undefined) {
      problems = [this.faults ? 'no indicator has a valid value' : 'no indicator has a value'];
    }
    if (problems !== undefined) {
      // The record is lost as a whole: what was wrong with its cells belongs to the same reason.
      for (const f of this.faults ?? []) problems.push(`${f.reason}, got ${quote(f.value)}`);
      return safeText(problems.join('; '));
    }

    const resolved = this.recentSite[recent] as Site;
    const sample = new ParsedSample(resolved.id, resolved.registered, at as number, this.values, this.flags,
      this.sheet === undefined ? new LineSource(ctx.file, this.line) : new SheetSource(ctx.file, this.line, this.sheet));
    if (this.below) sample.belowDetection = this.below;
    if (hasUnknown) sample.unknown = unknown;
    return sample;
  }

  /** The index of `text` among the recent site texts, added in the place of the oldest if new. */
  private recentSiteOf(text: string): number {
    const texts = this.recentText;
    for (let i = 0; i < texts.length; i++) if (texts[i] === text) return i;
    const i = this.recentNext;
    this.recentNext = (i + 1) % RECENT_SITES;
    const why = siteNameProblem(text);
    texts[i] = text;
    this.recentWhy[i] = why;
    this.recentSite[i] = why ? undefined : this.ctx.registry.resolve(text);
    return i;
  }

  private value(param: ParamId, v: number, raw: string | number | null | undefined, label: string, line: number | undefined): void {
    const why = implausibility(param, v);
    if (why) { this.fault(param, raw, label, line, why); return; }
    this.values[param] = v;
    this.any = true;
  }

  private fault(param: ParamId, raw: string | number | null | undefined, label: string, line: number | undefined, reason: string): void {
    (this.faults ??= []).push({
      line: line ?? this.line, ...(this.sheet !== undefined ? { sheet: this.sheet } : {}),
      param, value: shownValue(raw), reason: `${label}: ${reason}`,
    });
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/**
 * CSV/TSV exports, streamed through csv-parse. Two layouts:
 * - wide: a row per site and time, a column per indicator (`断面名称,监测时间,氨氮(mg/L),总磷(mg/L)`);
 * - long: a row per indicator (`站点,时间,监测项目,监测值,单位,标识`), merged per site and time.
 * The header row may follow a title row or two; it is the first row that names known columns.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ParamId } from '../domain/parameters.js';
import { PARAMETERS } from '../domain/parameters.js';
import type { ColumnRole } from './headers.js';
import { mapHeader, paramByName, unitFactor } from './headers.js';
import type { RawCell, RawRecord } from './record.js';
import { batches } from './batches.js';
import { buildSample, cellProblem } from './record.js';
import type { TableRow, TableSource } from './table-rows.js';
import type { ParseContext, ParseEvent } from './types.js';
import { FileRejectedError } from './types.js';

const HEADER_SEARCH_ROWS = 10;
/** Long-layout groups kept open for rows that arrive out of order, before the oldest is emitted. */
const MAX_OPEN_GROUPS = 5_000;

export function detectDelimiter(head: string): ',' | '\t' | ';' | '|' {
  const firstLines = head.split(/\r?\n/, HEADER_SEARCH_ROWS).filter((l) => l.trim() !== '');
  const score = (d: string) => firstLines.reduce((n, l) => Math.max(n, l.split(d).length - 1), 0);
  const candidates = [',', '\t', ';', '|'] as const;
  let best: (typeof candidates)[number] = ',';
  for (const d of candidates) if (score(d) > score(best)) best = d;
  return best;
}

interface Layout {
  readonly roles: readonly ColumnRole[];
  readonly headers: readonly string[];
  /** `column '氨氮(mg/L)'`, made once per file rather than once per cell. */
  readonly labels: readonly string[];
  readonly kind: 'wide' | 'long';
}

function findLayout(row: readonly string[]): { layout: Layout; problems: string[] } | undefined {
  const mapped = row.map((h) => mapHeader(h));
  const roles = mapped.map((m) => m.role);
  const has = (r: ColumnRole['role']) => roles.some((x) => x.role === r);
  const known = roles.filter((r) => r.role !== 'ignore').length;
  if (known < 2) return undefined;
  const kind = has('indicator') && has('value') ? 'long' : 'wide';
  const problems = mapped.flatMap((m) => (m.problem ? [m.problem] : []));
  return { layout: { roles, headers: row, labels: row.map((h) => `column '${h}'`), kind }, problems };
}

function describeMissing(layout: Layout, ctx: ParseContext): string | undefined {
  const has = (r: ColumnRole['role']) => layout.roles.some((x) => x.role === r);
  const missing: string[] = [];
  if (!has('site') && !has('siteCode') && !ctx.fileSite) {
    missing.push(`a site column (e.g. 断面名称, 站点名称, site) — and the file name '${ctx.file}' names no registered site`);
  }
  if (!has('time') && !has('date')) missing.push('a time column (e.g. 监测时间, 采样时间, time)');
  if (layout.kind === 'wide' && !has('param')) missing.push('an indicator column (e.g. 氨氮(mg/L), COD, 总磷)');
  if (missing.length === 0) return undefined;
  return `is not monitoring data: no ${missing.join('; no ')}. Columns found: ${layout.headers.join(', ')}`;
}

function embeddedBreaks(row: readonly string[]): number {
  let n = 0;
  for (const field of row) {
    if (field.length === 0) continue;
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  }
  return n;
}

const CLOCK_ONLY = /^\d{1,2}(?::\d{2}){0,2}$/;

const cell = (row: readonly string[], i: number): string | undefined => row[i];

function siteOf(row: readonly string[], layout: Layout): string | undefined {
  let code: string | undefined;
  for (let i = 0; i < layout.roles.length; i++) {
    const r = layout.roles[i]!.role;
    const v = row[i]?.trim();
    if (!v) continue;
    if (r === 'site') return v;
    if (r === 'siteCode') code ??= v;
  }
  return code;
}

function timeOf(row: readonly string[], layout: Layout): string | undefined {
  let time: string | undefined;
  let date: string | undefined;
  let clock: string | undefined;
  for (let i = 0; i < layout.roles.length; i++) {
    const r = layout.roles[i]!.role;
    const v = row[i]?.trim();
    if (!v) continue;
    if (r === 'time') time = v;
    if (r === 'date') date = v;
    if (r === 'clock') clock = v;
  }
  if (date === undefined) return time;
  // 采样日期 + 采样时间: a "time" column that holds only a clock belongs with the date column.
  if (time !== undefined && CLOCK_ONLY.test(time)) clock = time;
  else if (time !== undefined) return time;
  if (clock === undefined) return date;
  return `${date} ${/^\d{1,2}$/.test(clock) ? `${clock}:00` : clock}`;
}

function wideRecord(row: readonly string[], line: number, layout: Layout): RawRecord {
  const cells: RawCell[] = [];
  let flags: Partial<Record<ParamId, string>> | undefined;
  let rowFlag: string | undefined;
  for (let i = 0; i < layout.roles.length; i++) {
    const role = layout.roles[i]!;
    if (role.role === 'param') {
      cells.push({ param: role.param, factor: role.factor, raw: cell(row, i), label: layout.labels[i] as string });
    } else if (role.role === 'flag') {
      const f = cell(row, i)?.trim();
      if (f) (flags ??= {})[role.param] = f;
    } else if (role.role === 'rowFlag') {
      rowFlag = cell(row, i)?.trim() || undefined;
    }
  }
  if (rowFlag) {
    flags ??= {};
    for (const c of cells) flags[c.param] ??= rowFlag;
  }
  return { line, site: siteOf(row, layout), time: timeOf(row, layout), cells, ...(flags ? { flags } : {}) };
}

interface LongGroup {
  line: number;
  site: string | undefined;
  time: string | undefined;
  cells: RawCell[];
  flags: Partial<Record<ParamId, string>>;
  unknown: Record<string, string>;
}

/**
 * `chunks` is UTF-8 bytes where the file is UTF-8 (csv-parse works on bytes), decoded text otherwise.
 */
export function parseCsv(
  chunks: AsyncIterable<string | Uint8Array>, head: string, ctx: ParseContext,
): AsyncGenerator<ParseEvent[]> {
  return parseTable(csvParseRows(chunks, detectDelimiter(head)), ctx);
}

/**
 * csv-parse's records as table rows. Line numbers are counted here rather than asked of csv-parse,
 * whose per-record info objects cost a third of the parse: a record spans one line plus the line
 * breaks quoted inside its fields.
 */
function csvParseRows(chunks: AsyncIterable<string | Uint8Array>, delimiter: string): TableSource {
  const skipped: TableRow[] = [];
  let line = 0;
  const parser = parse({
    delimiter, bom: true, relax_column_count: true, relax_quotes: true,
    trim: true, skip_records_with_error: true,
    on_skip: (err) => {
      const at = Number((err as { lines?: number } | undefined)?.lines ?? line + 1);
      skipped.push({ line: at, cells: [], error: `not a CSV row: ${err?.message ?? 'malformed'}` });
      return undefined;
    },
  });
  // A field can hold a line break only inside quotes: until the file shows a quote, rows are one line.
  let quoteSeen = false;
  async function* watchQuotes(): AsyncGenerator<string | Uint8Array> {
    for await (const c of chunks) {
      if (!quoteSeen) quoteSeen = typeof c === 'string' ? c.includes('"') : Buffer.from(c.buffer, c.byteOffset, c.byteLength).includes(0x22);
      yield c;
    }
  }
  const source = Readable.from(watchQuotes(), { objectMode: false });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  async function* rows(): AsyncGenerator<TableRow[]> {
    for await (const batch of batches<string[]>(parser)) {
      const out: TableRow[] = [];
      for (const row of batch) {
        if (skipped.length > 0) {
          out.push(...skipped);
          line = Math.max(line, ...skipped.map((s) => s.line));
          skipped.length = 0;
        }
        line += quoteSeen ? 1 + embeddedBreaks(row) : 1;
        if (row.length === 1 && row[0] === '') continue; // blank line
        out.push({ line, cells: row });
      }
      yield out;
    }
    if (skipped.length > 0) yield skipped.splice(0);
  }
  return { rows: rows(), excelSerialTimes: false };
}

/** Table rows → samples: the header search, the wide and long layouts, a sample or a rejection per row. */
export async function* parseTable(source: TableSource, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  let layout: Layout | undefined;
  const preHeader: number[] = [];
  const groups = new Map<string, LongGroup>();
  const unknownIndicators = new Set<string>();

  let out: ParseEvent[] = [];
  const emit = (ev: ParseEvent) => { out.push(ev); };

  function flushGroup(key: string): void {
    const g = groups.get(key)!;
    groups.delete(key);
    const r = buildSample({ line: g.line, site: g.site, time: g.time, cells: g.cells, flags: g.flags,
      ...(Object.keys(g.unknown).length > 0 ? { unknown: g.unknown } : {}) }, ctx);
    emit(r.ok ? { type: 'sample', sample: r.sample } : { type: 'rejected', line: g.line, reason: r.reason });
  }

  let stop = false;
  for await (const batch of source.rows) {
    for (const tableRow of batch) {
      const line = tableRow.line;
      if (tableRow.error !== undefined) { emit({ type: 'rejected', line, reason: tableRow.error }); continue; }
      const row = tableRow.cells;
      if (!layout) {
        const found = findLayout(row);
        if (!found) {
          preHeader.push(line);
          if (preHeader.length >= HEADER_SEARCH_ROWS) { stop = true; break; }
          continue;
        }
        layout = found.layout;
        const missing = describeMissing(layout, ctx);
        if (missing) throw new FileRejectedError(ctx.file, missing);
        for (const p of found.problems) emit({ type: 'warning', message: p });
        const ignored = layout.headers.filter((_, i) => layout!.roles[i]!.role === 'ignore');
        if (ignored.length > 0 && layout.kind === 'wide') {
          emit({ type: 'warning', message: `columns not used: ${ignored.join(', ')}` });
        }
        continue;
      }
      if (row.every((c) => c === '')) continue;
      if (layout.kind === 'wide') {
        const r = buildSample(wideRecord(row, line, layout), ctx);
        emit(r.ok ? { type: 'sample', sample: r.sample } : { type: 'rejected', line, reason: r.reason });
        continue;
      }
      // long layout
      const site = siteOf(row, layout);
      const time = timeOf(row, layout);
      let indicator: string | undefined;
      let value: string | undefined;
      let unit: string | undefined;
      let flag: string | undefined;
      layout.roles.forEach((r, i) => {
        const v = row[i];
        if (r.role === 'indicator') indicator = v;
        else if (r.role === 'value') value = v;
        else if (r.role === 'unit') unit = v;
        else if (r.role === 'rowFlag') flag = v;
      });
      if (!indicator) { emit({ type: 'rejected', line, reason: 'indicator is missing' }); continue; }
      const param = paramByName(indicator);
      let c: RawCell | undefined;
      if (param) {
        let factor = 1;
        if (unit && unit.trim() !== '') {
          const f = unitFactor(param, unit);
          if (f === undefined) {
            emit({ type: 'rejected', line, reason: `unit '${unit}' of ${indicator} cannot be converted to ${PARAMETERS[param].unit || 'a unitless value'}` });
            continue;
          }
          factor = f;
        }
        c = { param, factor, raw: value, label: indicator };
        const problem = cellProblem(c);
        if (problem) { emit({ type: 'rejected', line, reason: problem }); continue; }
      } else if (!unknownIndicators.has(indicator)) {
        unknownIndicators.add(indicator);
        emit({ type: 'warning', message: `indicator '${indicator}' is not in the catalogue; its values are kept as written` });
      }
      const key = `${site ?? ''}\u0000${time ?? ''}`;
      let g = groups.get(key);
      if (!g) {
        g = { line, site, time, cells: [], flags: {}, unknown: {} };
        groups.set(key, g);
        if (groups.size > MAX_OPEN_GROUPS) flushGroup(groups.keys().next().value as string);
      }
      if (c) {
        g.cells.push(c);
        if (flag) g.flags[c.param] = flag;
      } else {
        g.unknown[indicator] = value ?? '';
      }
    }
    if (out.length > 0) { yield out; out = []; }
    if (stop) break;
  }
  if (!layout) {
    throw new FileRejectedError(ctx.file, 'is not monitoring data: no header row names a site, time or indicator column');
  }
  for (const key of [...groups.keys()]) flushGroup(key);
  if (out.length > 0) yield out;
}

/**
 * Table rows → samples, for every table-shaped format (CSV, TSV, Excel sheets). Two layouts:
 * - wide: a row per site and time, a column per indicator (`断面名称,监测时间,氨氮(mg/L),总磷(mg/L)`);
 * - long: a row per indicator (`站点,时间,监测项目,监测值,单位,标识`), merged per site and time.
 * The header row may follow a title row or two; it is the first row that names known columns.
 * Each sheet of a workbook has its own header.
 */
import type { ParamId } from '../domain/parameters.js';
import { PARAMETERS } from '../domain/parameters.js';
import type { ColumnRole } from './headers.js';
import { mapHeader, paramByName, unitFactor } from './headers.js';
import type { RawCell } from './record.js';
import { shownValue } from './record.js';
import { RecordEvents, rejectedEvent, skippedEvent } from './record-events.js';
import type { FooterKind } from './footers.js';
import { footerKind } from './footers.js';
import type { FileSite } from './file-site.js';
import { fileSiteOf } from './file-site.js';
import type { TableRow, TableSource } from './table-rows.js';
import { rowLabel } from './table-rows.js';
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_OPEN_LONG_GROUPS, MAX_QUOTED_CHARS } from '../limits.js';
import type { CellFault, ParseContext, ParseEvent } from './types.js';
import { FileRejectedError } from './types.js';
import { quote, safeText } from '../safe-text.js';
import { excelSerialToWallClock } from './excel-serial.js';
import { unitsRow } from './units-row.js';

/** Rows looked at for a header before a table (or a sheet) is taken not to be monitoring data. */
const HEADER_SEARCH_ROWS = 10;

const NO_HEADER = 'is not monitoring data: no header row names a site, time or indicator column';

/** An indicator column of a wide table: where, which indicator, its unit's factor, its name for messages. */
interface ParamColumn {
  readonly index: number;
  readonly param: ParamId;
  readonly factor: number;
  /** `column '氨氮(mg/L)'`, made once per file rather than once per cell. */
  readonly label: string;
}

interface Layout {
  /** The first non-empty row under a wide header may be its units row (units-row.ts). */
  readonly unitsRowAhead: boolean;
  readonly roles: readonly ColumnRole[];
  /** The site and time columns: where a statistics or remarks row shows its label. */
  readonly keyColumns: readonly number[];
  /** Whether column i is one of `keyColumns`. */
  readonly isKey: readonly boolean[];
  /** The time, date and clock columns, in column order. */
  readonly timeColumns: readonly { readonly index: number; readonly role: 'time' | 'date' | 'clock' }[];
  /** Wide: the indicator columns and the flag columns, in column order; the row's flag column, or -1. */
  readonly params: readonly ParamColumn[];
  readonly flagColumns: readonly { readonly index: number; readonly param: ParamId }[];
  readonly rowFlag: number;
  readonly headers: readonly string[];
  readonly kind: 'wide' | 'long';
}

/** A header that names one indicator twice. */
class DuplicateColumns extends Error {}

const KEY_ROLES = new Set<ColumnRole['role']>(['site', 'siteCode', 'time', 'date', 'clock']);

/** A statistics or remarks row's label: in a site or time cell, or the row's first non-empty cell. */
function footerOf(layout: Layout, row: readonly string[]): { kind: FooterKind; text: string } | undefined {
  const keys = layout.keyColumns;
  for (let k = 0; k < keys.length; k++) {
    const cell = row[keys[k] as number];
    if (cell === undefined || cell.length === 0) continue;
    const text = cell.trim();
    const kind = footerKind(text);
    if (kind) return { kind, text };
  }
  for (let i = 0; i < row.length; i++) {
    const cell = row[i] as string;
    if (cell.length === 0) continue;
    const text = cell.trim();
    if (text === '') continue;
    // A site or time cell was looked at above.
    if (layout.isKey[i]) return undefined;
    const kind = footerKind(text);
    return kind ? { kind, text } : undefined;
  }
  return undefined;
}

function findLayout(row: readonly string[]): { layout: Layout; problems: string[] } | undefined {
  const mapped = row.map((h) => mapHeader(h));
  const roles = mapped.map((m) => m.role);
  const has = (r: ColumnRole['role']) => roles.some((x) => x.role === r);
  const known = roles.filter((r) => r.role !== 'ignore').length;
  if (known < 2) return undefined;
  const kind = has('indicator') && has('value') ? 'long' : 'wide';
  const problems = mapped.flatMap((m) => (m.problem ? [m.problem] : []));
  // Two columns for one indicator (`COD` twice, `COD` and `化学需氧量`): which holds the value is unknowable.
  const byParam = new Map<ParamId, number>();
  for (let i = 0; i < roles.length; i++) {
    const r = roles[i]!;
    if (r.role !== 'param') continue;
    const other = byParam.get(r.param);
    if (other !== undefined) {
      throw new DuplicateColumns(`columns ${quote(row[other]!)} (column ${other + 1}) and ${quote(row[i]!)} (column ${i + 1}) both hold ${r.param}: remove or rename one`);
    }
    byParam.set(r.param, i);
  }
  const keyColumns = roles.flatMap((r, i) => (KEY_ROLES.has(r.role) ? [i] : []));
  const timeColumns = roles.flatMap((r, i) => (r.role === 'time' || r.role === 'date' || r.role === 'clock' ? [{ index: i, role: r.role }] : []));
  const params = roles.flatMap((r, i) => (r.role === 'param' ? [{ index: i, param: r.param, factor: r.factor, label: `column ${quote(row[i] as string)}` }] : []));
  const flagColumns = roles.flatMap((r, i) => (r.role === 'flag' ? [{ index: i, param: r.param }] : []));
  const rowFlag = roles.findIndex((r) => r.role === 'rowFlag');
  return {
    layout: { unitsRowAhead: kind === 'wide', roles, keyColumns, isKey: roles.map((r) => KEY_ROLES.has(r.role)), timeColumns, params, flagColumns, rowFlag, headers: row, kind },
    problems,
  };
}

function describeMissing(layout: Layout, ctx: ParseContext, docSite: string | undefined): string | undefined {
  const has = (r: ColumnRole['role']) => layout.roles.some((x) => x.role === r);
  const missing: string[] = [];
  if (!has('site') && !has('siteCode') && !ctx.fileSite && !docSite) {
    missing.push(`a site column (e.g. 断面名称, 站点名称, site) or a site named above the table (站点名称：…) — and the file name ${quote(ctx.file)} names no registered site`);
  }
  if (!has('time') && !has('date')) missing.push('a time column (e.g. 监测时间, 采样时间, time)');
  if (layout.kind === 'wide' && !has('param')) missing.push('an indicator column (e.g. 氨氮(mg/L), COD, 总磷)');
  if (missing.length === 0) return undefined;
  return `is not monitoring data: no ${missing.join('; no ')}. Columns found: ${layout.headers.map((h) => quote(h, 40)).join(', ')}`;
}

const CLOCK_ONLY = /^\d{1,2}(?::\d{2}){0,2}$/;
/** A date column's cell that shows a time of day of midnight too (an Excel date cell, read as date and time). */
const MIDNIGHT = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]0{1,2}:00(?::00)?$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;

/**
 * A number in a time, date or clock column of a workbook: an Excel serial date-time (excel-serial.ts)
 * as text the time parser reads — `2023-07-15 08:00:00`; a date column gives the date only, a clock
 * column (a fraction below 1) the time of day only. Text that is not a serial is returned as it is.
 */
export function fromExcelSerial(text: string, role: 'time' | 'date' | 'clock'): string {
  if (!SERIAL.test(text)) return text;
  const serial = Number(text);
  if (role === 'clock' && serial >= 1) return text;
  const wall = excelSerialToWallClock(serial);
  if (wall === null) return text;
  // Below 1 it is a time of day alone (`08:30:00`); a date column keeps the date.
  return role === 'date' && serial >= 1 ? wall.slice(0, wall.indexOf(' ')) : wall;
}

/** The row's site cell, else its site-code cell, else the site the sheet names above its table. */
function siteOf(row: readonly string[], layout: Layout, docSite: string | undefined): string | undefined {
  let code: string | undefined;
  const keys = layout.keyColumns;
  for (let k = 0; k < keys.length; k++) {
    const i = keys[k] as number;
    const cell = row[i];
    if (cell === undefined || cell.length === 0) continue;
    const v = cell.trim();
    if (v === '') continue;
    const r = (layout.roles[i] as ColumnRole).role;
    if (r === 'site') return v;
    if (r === 'siteCode') code ??= v;
  }
  return code ?? docSite;
}

function timeOf(row: readonly string[], layout: Layout, serials: boolean): string | undefined {
  let time: string | undefined;
  let date: string | undefined;
  let clock: string | undefined;
  const columns = layout.timeColumns;
  for (let k = 0; k < columns.length; k++) {
    const { index, role: r } = columns[k] as Layout['timeColumns'][number];
    const cell = row[index];
    if (cell === undefined || cell.length === 0) continue;
    let v = cell.trim();
    if (v === '') continue;
    if (serials) v = fromExcelSerial(v, r);
    if (r === 'time') time = v;
    else if (r === 'date') date = MIDNIGHT.test(v) ? v.slice(0, v.indexOf(' ')) : v;
    else clock = v;
  }
  if (date === undefined) return time;
  // 采样日期 + 采样时间: a "time" column that holds only a clock belongs with the date column.
  if (time !== undefined && CLOCK_ONLY.test(time)) clock = time;
  else if (time !== undefined) return time;
  if (clock === undefined) return date;
  return `${date} ${/^\d{1,2}$/.test(clock) ? `${clock}:00` : clock}`;
}

/**
 * A wide row's sample: its indicator columns handed to the builder one by one (no object per cell),
 * then its flags — a flag column's own, else the row's flag for every indicator.
 */
function wideRow(records: RecordEvents, row: readonly string[], line: number, sheet: Sheet, layout: Layout, serials: boolean, out: ParseEvent[]): void {
  const b = records.builder;
  b.begin(line, sheet.name);
  const params = layout.params;
  for (let k = 0; k < params.length; k++) {
    const c = params[k] as ParamColumn;
    b.cell(c.param, c.factor, row[c.index], c.label);
  }
  if (layout.flagColumns.length > 0 || layout.rowFlag >= 0) {
    let flags: Partial<Record<ParamId, string>> | undefined;
    for (const { index, param } of layout.flagColumns) {
      const f = row[index]?.trim();
      if (f) (flags ??= {})[param] = f;
    }
    const rowFlag = layout.rowFlag >= 0 ? row[layout.rowFlag]?.trim() : undefined;
    if (rowFlag) {
      flags ??= {};
      for (const c of params) flags[c.param] ??= rowFlag;
    }
    if (flags) for (const p in flags) b.flag(p as ParamId, flags[p as ParamId] as string);
  }
  records.end(siteOf(row, layout, sheet.site?.site), timeOf(row, layout, serials), undefined, out);
}

interface LongGroup {
  line: number;
  sheet: string | undefined;
  site: string | undefined;
  time: string | undefined;
  cells: RawCell[];
  flags: Partial<Record<ParamId, string>>;
  unknown: Record<string, string>;
  faults: CellFault[] | undefined;
}

/** What one sheet (or the one table of a text file) is being read as. */
class Sheet {
  layout: Layout | undefined;
  preHeader = 0;
  /** No header in the first rows: the rest of this sheet is not read. */
  abandoned = false;
  /** Inside a remarks block: rows of a single cell continue it. */
  inRemarks = false;
  /** The site a metadata line or title above the header names. */
  site: FileSite | undefined;
  readonly groups = new Map<string, LongGroup>();
  readonly unknownIndicators = new Set<string>();
  constructor(readonly name: string | undefined) {}
}

const rejected = rejectedEvent;

function allEmpty(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) if ((cells[i] as string).length > 0) return false;
  return true;
}

export async function* parseTable(source: TableSource, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  let out: ParseEvent[] = [];
  const emit = (ev: ParseEvent) => { out.push(ev); };
  const records = new RecordEvents(ctx);
  let sheet: Sheet | undefined;
  let sawLayout = false;
  /** Why each sheet that was passed over is not data, for the file's rejection when none is. */
  const unusable: string[] = [];

  function flushGroup(s: Sheet, key: string): void {
    const g = s.groups.get(key)!;
    s.groups.delete(key);
    records.push({ line: g.line, sheet: g.sheet, site: g.site, time: g.time, cells: g.cells, flags: g.flags,
      ...(Object.keys(g.unknown).length > 0 ? { unknown: g.unknown } : {}),
      ...(g.faults ? { faults: g.faults } : {}) }, out);
  }

  /** A workbook may hold sheets that are not data (a cover, notes): those are passed over, saying why. */
  function passOver(s: Sheet, why: string): void {
    s.abandoned = true;
    if (s.name === undefined) return;
    unusable.push(`sheet ${quote(s.name)} ${why}`);
    emit({ type: 'warning', message: safeText(`sheet ${quote(s.name)} is not read: it ${why}`) });
  }

  function endSheet(s: Sheet): void {
    if (!s.layout && !s.abandoned) passOver(s, NO_HEADER);
    for (const key of [...s.groups.keys()]) flushGroup(s, key);
  }

  function header(s: Sheet, row: TableRow): void {
    let found: ReturnType<typeof findLayout>;
    try {
      found = findLayout(row.cells);
    } catch (err) {
      if (!(err instanceof DuplicateColumns)) throw err;
      if (s.name === undefined) throw new FileRejectedError(ctx.file, err.message, '同一监测指标出现在两列中，无法判断取哪一列');
      passOver(s, err.message);
      return;
    }
    // `站点名称,赵牛河断面,监测时间,2023年7月` names two known columns but is a metadata line.
    if (found && row.cells.some((c) => c.trim() !== '' && ctx.registry.find(c) !== undefined)) found = undefined;
    if (!found) {
      // A metadata line or a title names the site; a metadata line overrides a title.
      const named = fileSiteOf(row.cells, ctx.registry);
      if (named && (!s.site || (s.site.from === 'title' && named.from === 'metadata'))) s.site = named;
      if (++s.preHeader >= HEADER_SEARCH_ROWS) passOver(s, NO_HEADER);
      return;
    }
    const layout = found.layout;
    const missing = describeMissing(layout, ctx, s.site?.site);
    if (missing) {
      if (s.name === undefined) throw new FileRejectedError(ctx.file, missing, '不是监测数据：表头缺少站点、时间或监测指标列');
      passOver(s, missing);
      return;
    }
    s.layout = layout;
    sawLayout = true;
    for (const p of found.problems) emit({ type: 'warning', message: safeText(p) });
    const ignored = layout.headers.filter((h, i) => layout.roles[i]!.role === 'ignore' && h.trim() !== '');
    if (ignored.length > 0 && layout.kind === 'wide') {
      emit({ type: 'warning', message: safeText(`${ignored.length} columns not used: ${ignored.map((h) => quote(h)).join(', ')}`) });
    }
  }

  function longRow(s: Sheet, layout: Layout, row: readonly string[], line: number): void {
    const site = siteOf(row, layout, s.site?.site);
    const time = timeOf(row, layout, source.excelSerialTimes);
    let indicator: string | undefined;
    let value: string | undefined;
    let unit: string | undefined;
    let flag: string | undefined;
    for (let i = 0; i < layout.roles.length; i++) {
      const r = (layout.roles[i] as ColumnRole).role;
      const v = row[i];
      if (r === 'indicator') indicator = v;
      else if (r === 'value') value = v;
      else if (r === 'unit') unit = v;
      else if (r === 'rowFlag') flag = v;
    }
    if (!indicator) { emit(rejected(line, s.name, 'indicator is missing')); return; }
    const param = paramByName(indicator);
    let c: RawCell | undefined;
    let unitFault: CellFault | undefined;
    if (param) {
      let factor: number | undefined = 1;
      if (unit && unit.trim() !== '') {
        factor = unitFactor(param, unit);
        if (factor === undefined) {
          unitFault = {
            line, ...(s.name !== undefined ? { sheet: s.name } : {}), param, value: shownValue(value ?? ''),
            reason: `${quote(indicator)}: unit ${quote(unit)} cannot be converted to ${PARAMETERS[param].unit || 'a unitless value'}`,
          };
        }
      }
      if (factor !== undefined) c = { param, factor, raw: value, label: quote(indicator), line };
    } else if (!s.unknownIndicators.has(indicator)) {
      s.unknownIndicators.add(indicator);
      emit({ type: 'warning', message: `indicator ${quote(indicator)} is not in the catalogue; its values are kept as written` });
    }
    const key = `${site ?? ''}\u0000${time ?? ''}`;
    let g = s.groups.get(key);
    if (!g) {
      g = { line, sheet: s.name, site, time, cells: [], flags: {}, unknown: {}, faults: undefined };
      s.groups.set(key, g);
      if (s.groups.size > MAX_OPEN_LONG_GROUPS) flushGroup(s, s.groups.keys().next().value as string);
    }
    if (c) {
      g.cells.push(c);
      if (flag) g.flags[c.param] = flag;
    } else if (unitFault) {
      (g.faults ??= []).push(unitFault);
    } else if ((value ?? '').length > MAX_CELL_CHARS) {
      (g.faults ??= []).push({ line, ...(s.name !== undefined ? { sheet: s.name } : {}), param: safeText(indicator, { max: MAX_QUOTED_CHARS }),
        value: shownValue(value), reason: `${quote(indicator)}: longer than ${MAX_CELL_CHARS} characters` });
    } else {
      g.unknown[indicator] = value ?? '';
    }
  }

  let stop = false;
  for await (const batch of source.rows) {
    for (const row of batch) {
      if (!sheet || row.sheet !== sheet.name) {
        if (sheet) endSheet(sheet);
        sheet = new Sheet(row.sheet);
      }
      const s = sheet;
      if (s.abandoned) continue;
      const { line, cells } = row;
      if (row.error !== undefined) {
        // Before a header, a line too long to read means the file is not a table (a 1 GB header of commas).
        if (!s.layout && row.tooLong) throw new FileRejectedError(ctx.file, `line ${rowLabel(line, s.name)} cannot be read, before any header row: ${row.error}`, '表头之前有一行过长，无法读取，不是监测数据表');
        emit(rejected(line, s.name, row.error));
        continue;
      }
      if (cells.length > MAX_COLUMNS) {
        const why = `has ${cells.length.toLocaleString('en')} columns; at most ${MAX_COLUMNS.toLocaleString('en')} are read`;
        if (!s.layout && s.name === undefined) throw new FileRejectedError(ctx.file, `line ${rowLabel(line, s.name)} ${why}: not a monitoring table`, `表头行列数超过 ${MAX_COLUMNS} 列，不是监测数据表`);
        // A sheet whose rows above any header are that wide is not a monitoring table; the others may be.
        if (!s.layout) passOver(s, `has a row (${line}) that ${why}`);
        else emit(rejected(line, s.name, `the row ${why}`));
        continue;
      }
      if (!s.layout) {
        header(s, row);
        if (s.abandoned && s.name === undefined) { stop = true; break; }
        continue;
      }
      if (allEmpty(cells)) continue;
      if (s.layout.unitsRowAhead) {
        const units = unitsRow(s.layout.headers, s.layout.params, cells);
        s.layout = { ...s.layout, unitsRowAhead: false, ...(units ? { params: units.params } : {}) };
        if (units) {
          for (const p of units.problems) emit({ type: 'warning', message: safeText(p) });
          emit(skippedEvent(line, s.name, 'units row: not a sample'));
          continue;
        }
      }
      const footer = footerOf(s.layout, cells);
      if (footer || (s.inRemarks && cells.filter((c) => c.trim() !== '').length === 1)) {
        if (footer) s.inRemarks = footer.kind === 'remarks';
        const what = footer ? `${footer.kind} row ${quote(footer.text)}` : 'remarks row (continued)';
        emit(skippedEvent(line, s.name, `${what}: not a sample`));
        continue;
      }
      s.inRemarks = false;
      if (s.layout.kind === 'wide') {
        wideRow(records, cells, line, s, s.layout, source.excelSerialTimes, out);
      } else {
        longRow(s, s.layout, cells, line);
      }
    }
    if (out.length > 0) { yield out; out = []; }
    if (stop) break;
  }
  if (sheet) endSheet(sheet);
  if (!sawLayout) {
    throw new FileRejectedError(ctx.file, unusable.length > 0
      ? `holds no monitoring data: ${unusable.join('; ')}`
      : NO_HEADER, '不是监测数据：找不到含站点、时间或监测指标列的表头');
  }
  records.finish(out);
  if (out.length > 0) yield out;
}

/**
 * Evaluated samples as a table for people (evaluate, query). The default view fits a terminal
 * (rows within TABLE_COLUMNS: site, time, grade, compliance, CWQI, the worst exceedances); `wide`
 * shows every column. Values are in the standard's units (docs/domain.md#gb-3838-2002-table-1):
 * mg/L unless a unit is printed beside the value.
 */
import stringWidth from 'string-width';
import type { Exceedance } from '../../shared/domain/evaluate.js';
import { PARAMETERS, PARAM_IDS, type ParamId } from '../../shared/domain/parameters.js';
import type { SampleView } from '../../shared/domain/sample-view.js';
import { fitWidth, fmt, renderTable } from './table.js';
import { terminalSafe } from './terminal-text.js';

/** The compact view's widest row, in terminal columns. */
export const TABLE_COLUMNS = 120;
/** An unregistered station's name as written may be long: the compact view cuts it. */
const SITE_COLUMNS = 20;
/** What the compact view leaves for exceedances: the row less the other columns and the gaps. */
const EXCEEDANCE_COLUMNS = TABLE_COLUMNS - SITE_COLUMNS - 25 /* time */ - 5 /* grade */ - 3 /* ok */ - 6 /* CWQI */ - 2 * 5;

export interface SampleTableOptions { readonly wide?: boolean }

const INTERVAL_LABEL: Readonly<Record<string, string>> = { rtd: 'rtd', minute: 'min', hour: 'hour', day: 'day' };

/** `2023-07-15T08:00:00+08:00` → `2023-07-15 08:00` (seconds when not :00); a day value shows its date only; the interval beside it. */
export function timeCell(s: Pick<SampleView, 'time' | 'interval'>): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(s.time);
  if (!m) return terminalSafe(s.time);
  const secs = m[3] && m[3] !== ':00' ? m[3] : ''; // milliseconds: --wide
  const clock = s.interval === 'day' && m[2] === '00:00' && !secs ? '' : ` ${m[2]}${secs}`;
  const interval = s.interval ? ` (${INTERVAL_LABEL[s.interval] ?? terminalSafe(s.interval)})` : '';
  return `${m[1]}${clock}${interval}`;
}

const unitOf = (p: ParamId) => (PARAMETERS[p].unit === 'mg/L' ? '' : PARAMETERS[p].unit);
const withUnit = (p: ParamId, text: string) => (unitOf(p) ? `${text} ${unitOf(p)}` : text);

/** `COD 31>30 +3%`, `DO 2.5<3`: the sign says which side of the limit the value fell. */
export function exceedanceCell(e: Exceedance): string {
  const side = e.value < e.limit ? '<' : '>';
  const over = e.multiple === null ? '' : ` +${fmt(e.multiple * 100, 2)}%`;
  return `${e.param} ${withUnit(e.param, `${fmt(e.value)}${side}${fmt(e.limit)}`)}${over}`;
}

/** How far past its limit, relative to it: orders exceedances worst first (pH and DO have no multiple). */
const severity = (e: Exceedance) => e.multiple ?? Math.abs(e.value - e.limit) / e.limit;

/** The worst exceedances that fit in `columns`, then how many more there are. */
export function mainExceedances(list: readonly Exceedance[], columns: number): string {
  if (list.length === 0) return '—';
  const sorted = [...list].sort((a, b) => severity(b) - severity(a));
  const shown: string[] = [];
  for (const [i, e] of sorted.entries()) {
    const rest = sorted.length - i - 1;
    const next = [...shown, exceedanceCell(e)].join(', ') + (rest > 0 ? `, +${rest} more` : '');
    if (stringWidth(next) > columns && shown.length > 0) return `${shown.join(', ')}, +${sorted.length - shown.length} more`;
    shown.push(exceedanceCell(e));
  }
  return fitWidth(shown.join(', '), columns);
}

/** Every value in catalogue order, with its flag and unit: `COD=31 NH3N=0.8(F) Hg=0.00004 Cd<0.001 flow=5.2 L/s`. */
export function valuesCell(s: Pick<SampleView, 'values' | 'flags' | 'belowDetection' | 'unknown'>): string {
  const below = new Set(s.belowDetection ?? []);
  const keys = new Set<string>([...Object.keys(s.values), ...Object.keys(s.flags)]);
  const known = PARAM_IDS.filter((k) => keys.has(k)).map((k) => {
    const v = s.values[k];
    const flag = s.flags[k] && s.flags[k] !== 'N' ? `(${s.flags[k]})` : '';
    return `${k}${below.has(k) ? '<' : '='}${v === undefined ? '—' : withUnit(k, fmt(v))}${flag}`;
  });
  const unknown = Object.entries(s.unknown ?? {}).map(([k, v]) => `?${k}=${typeof v === 'number' ? fmt(v) : v}`);
  return terminalSafe([...known, ...unknown].join(' '));
}

const siteCell = (s: SampleView, columns: number) => fitWidth(terminalSafe(s.registered ? s.site : `${s.site}*`), columns);
const okCell = (s: SampleView) => (s.compliant === null ? '—' : s.compliant ? 'yes' : 'NO');

export function renderSamples(samples: readonly SampleView[], options: SampleTableOptions = {}): string {
  const table = options.wide
    ? renderTable(
      ['site', 'time', 'grade', 'target', 'ok', 'CWQI', 'main pollutants', 'exceedances', 'values (mg/L unless marked)', 'source'],
      samples.map((s) => [
        siteCell(s, Infinity), `${s.time}${s.interval ? ` (${s.interval})` : ''}`, s.grade ?? '—', s.target, okCell(s), fmt(s.cwqi, 3),
        s.mainPollutants.map((p) => PARAMETERS[p].zh).join('、') || '—',
        s.exceedances.map(exceedanceCell).join(', ') || '—',
        valuesCell(s), `${s.source.file}:${s.source.line}`,
      ]),
    )
    : renderTable(
      ['site', 'time', 'grade', 'ok', 'CWQI', 'exceedances (worst first)'],
      samples.map((s) => [
        siteCell(s, SITE_COLUMNS), timeCell(s), s.grade ?? '—', okCell(s), fmt(s.cwqi, 3), mainExceedances(s.exceedances, EXCEEDANCE_COLUMNS),
      ]),
    );
  const notes = [
    ...(samples.some((s) => !s.registered) ? ['* not in the site registry: judged as a river section with target IV'] : []),
    ...(options.wide ? [] : ['values, flags and sources: --wide']),
  ];
  return [table, ...notes].join('\n');
}

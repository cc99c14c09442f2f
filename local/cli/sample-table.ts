/** Evaluated samples as a table for people (evaluate, query). */
import { PARAMETERS, type ParamId } from '../../shared/domain/parameters.js';
import type { SampleView } from '../../shared/domain/sample-view.js';
import { fmt, renderTable } from './table.js';

function paramList(values: Partial<Record<ParamId, number>>, flags: Partial<Record<ParamId, string>>): string {
  const keys = new Set([...Object.keys(values), ...Object.keys(flags)] as ParamId[]);
  return [...keys].map((k) => `${k}=${fmt(values[k] ?? null, 4)}${flags[k] && flags[k] !== 'N' ? `(${flags[k]})` : ''}`).join(' ');
}

export function renderSamples(samples: readonly SampleView[]): string {
  const table = renderTable(
    ['site', 'time', 'grade', 'target', 'ok', 'CWQI', 'main pollutants', 'exceedances', 'values'],
    samples.map((s) => [
      s.registered ? s.site : `${s.site}*`, s.time, s.grade ?? '—', s.target,
      s.compliant === null ? '—' : s.compliant ? 'yes' : 'NO', fmt(s.cwqi, 2),
      s.mainPollutants.map((p) => PARAMETERS[p].zh).join('、') || '—',
      s.exceedances.map((e) => `${e.param} ${fmt(e.value, 4)}>${fmt(e.limit, 4)}${e.multiple === null ? '' : ` ×${fmt(e.multiple, 2)}`}`).join(', ') || '—',
      paramList(s.values, s.flags),
    ]),
  );
  const note = samples.some((s) => !s.registered) ? '\n* not in the site registry: judged as a river section with target IV' : '';
  return table + note;
}

/**
 * A units row: station software often writes the header on two lines, the names and then the units
 * (`监测时间,pH,溶解氧,氨氮` / `,无量纲,mg/L,mg/L`). The row right under the header whose indicator
 * cells are all units is read as the columns' units — applied where the header names none — and is
 * not a sample. A unit that cannot be converted leaves its column unread, as in a header.
 */
import type { ParamId } from '../domain/parameters.js';
import { looksLikeUnit, normaliseHeader, unconvertibleUnit, unitFactor } from './headers.js';

export interface UnitColumn {
  readonly index: number;
  readonly param: ParamId;
  readonly factor: number;
  readonly label: string;
}

export interface UnitsRow<C extends UnitColumn> {
  /** The indicator columns with the row's units applied; a column whose unit cannot be converted is left out. */
  readonly params: C[];
  readonly problems: string[];
}

/**
 * The units the row gives, or undefined when it is not a units row: at least one indicator cell holds
 * text, and every indicator cell that holds text is a unit bishui knows.
 */
export function unitsRow<C extends UnitColumn>(headers: readonly string[], params: readonly C[], cells: readonly string[]): UnitsRow<C> | undefined {
  let units = 0;
  for (const p of params) {
    const cell = (cells[p.index] ?? '').trim();
    if (cell === '') continue;
    if (!looksLikeUnit(cell)) return undefined;
    units++;
  }
  if (units === 0) return undefined;
  const kept: C[] = [];
  const problems: string[] = [];
  for (const p of params) {
    const cell = (cells[p.index] ?? '').trim();
    const header = headers[p.index] ?? '';
    if (cell === '' || normaliseHeader(header).unit !== undefined) { kept.push(p); continue; } // the header's own unit wins
    const factor = unitFactor(p.param, cell);
    if (factor === undefined) {
      problems.push(unconvertibleUnit(header, cell, p.param, ' (units row)'));
      continue;
    }
    kept.push({ ...p, factor });
  }
  return { params: kept, problems };
}

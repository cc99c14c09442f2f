/**
 * Every class boundary of every GB 3838-2002 Table 1 item.
 * Expected limits transcribed independently from the bureau's domain reference (GB 3838-2002 Table 1; docs/domain.md#gb-3838-2002-table-1).
 */
import { describe, expect, it } from 'vitest';
import { GRADES, type Grade, TABLE1, setsGrade } from '../../../shared/domain/gb3838.js';
import { classify } from '../../../shared/domain/grading.js';
import type { ParamId } from '../../../shared/domain/parameters.js';

// GB 3838-2002 Table 1, "at most" items, Class I..V.
const AT_MOST: Record<string, [number, number, number, number, number]> = {
  CODMn: [2, 4, 6, 10, 15],
  COD: [15, 15, 20, 30, 40],
  BOD5: [3, 3, 4, 6, 10],
  NH3N: [0.15, 0.5, 1.0, 1.5, 2.0],
  TN: [0.2, 0.5, 1.0, 1.5, 2.0],
  Cu: [0.01, 1.0, 1.0, 1.0, 1.0],
  Zn: [0.05, 1.0, 1.0, 2.0, 2.0],
  F: [1.0, 1.0, 1.0, 1.5, 1.5],
  Se: [0.01, 0.01, 0.01, 0.02, 0.02],
  As: [0.05, 0.05, 0.05, 0.1, 0.1],
  Hg: [0.00005, 0.00005, 0.0001, 0.001, 0.001],
  Cd: [0.001, 0.005, 0.005, 0.005, 0.01],
  Cr6: [0.01, 0.05, 0.05, 0.05, 0.1],
  Pb: [0.01, 0.01, 0.05, 0.05, 0.1],
  CN: [0.005, 0.05, 0.2, 0.2, 0.2],
  phenol: [0.002, 0.002, 0.005, 0.01, 0.1],
  oil: [0.05, 0.05, 0.05, 0.5, 1.0],
  LAS: [0.2, 0.2, 0.2, 0.3, 0.3],
  S2: [0.05, 0.1, 0.2, 0.5, 1.0],
  coliform: [200, 2000, 10000, 20000, 40000],
};
const TP_RIVER = [0.02, 0.1, 0.2, 0.3, 0.4];
const TP_LAKE = [0.01, 0.025, 0.05, 0.1, 0.2];

/** The class a value on or just past each limit must get, by the rule "on a limit belongs to it". */
function boundaryCases(limits: readonly number[]): [number, Grade][] {
  const cases: [number, Grade][] = [];
  limits.forEach((limit, r) => {
    const onLimit = limits.indexOf(limit); // shared limits: the best class
    cases.push([limit, GRADES[onLimit] as Grade]);
    const above = limit * (1 + 1e-9);
    const next = limits.findIndex((l) => l >= above);
    cases.push([above, GRADES[next < 0 ? 5 : next] as Grade]);
    void r;
  });
  cases.push([0, 'I']);
  return cases;
}

describe('GB 3838-2002 Table 1 grading (docs/domain.md#gb-3838-2002-table-1)', () => {
  for (const [param, limits] of Object.entries(AT_MOST)) {
    it(`${param}: the table matches the reference`, () => {
      expect(TABLE1.river.get(param as ParamId)?.limits).toEqual(limits);
      expect(TABLE1.lake.get(param as ParamId)?.limits).toEqual(limits);
    });
    it.each(boundaryCases(limits))(`${param} %s mg/L is class %s`, (value, grade) => {
      expect(GRADES[classify(TABLE1.river.get(param as ParamId)!, value)]).toBe(grade);
    });
  }

  it.each(boundaryCases(TP_RIVER))('river TP %s is class %s', (v, g) => {
    expect(GRADES[classify(TABLE1.river.get('TP')!, v)]).toBe(g);
  });
  it.each(boundaryCases(TP_LAKE))('lake TP %s is class %s', (v, g) => {
    expect(GRADES[classify(TABLE1.lake.get('TP')!, v)]).toBe(g);
  });
  it('lake and river TP differ: 0.1 mg/L is II in a river, IV in a lake', () => {
    expect(GRADES[classify(TABLE1.river.get('TP')!, 0.1)]).toBe('II');
    expect(GRADES[classify(TABLE1.lake.get('TP')!, 0.1)]).toBe('IV');
  });

  // DO is "at least": I ≥ 7.5, II ≥ 6, III ≥ 5, IV ≥ 3, V ≥ 2.
  it.each([
    [7.5, 'I'], [7.49, 'II'], [6, 'II'], [5.99, 'III'], [5, 'III'], [4.99, 'IV'], [3, 'IV'], [2.99, 'V'],
    [2, 'V'], [1.99, '劣V'], [0, '劣V'], [12, 'I'],
  ] as [number, Grade][])('DO %s mg/L is class %s', (v, g) => {
    expect(GRADES[classify(TABLE1.river.get('DO')!, v)]).toBe(g);
  });

  // pH 6–9 in every class, inclusive; outside is 劣V.
  it.each([
    [6, 'I'], [9, 'I'], [7.2, 'I'], [5.99, '劣V'], [9.01, '劣V'], [0, '劣V'], [14, '劣V'],
  ] as [number, Grade][])('pH %s is class %s', (v, g) => {
    expect(GRADES[classify(TABLE1.river.get('pH')!, v)]).toBe(g);
  });

  it('TN sets the grade for lakes only; fecal coliform never does', () => {
    expect(setsGrade('TN', 'river')).toBe(false);
    expect(setsGrade('TN', 'lake')).toBe(true);
    expect(setsGrade('coliform', 'river')).toBe(false);
    expect(setsGrade('coliform', 'lake')).toBe(false);
    expect(setsGrade('COD', 'river')).toBe(true);
  });

  it('covers the 24 Table 1 items (TP twice) and nothing else', () => {
    expect(TABLE1.river.size).toBe(23);
    expect([...TABLE1.river.keys()]).not.toContain('temp');
  });
});

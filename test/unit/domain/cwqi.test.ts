/** CWQI formulas — docs/domain.md#cwqi (城市地表水环境质量排名技术规定, 2017). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CWQI_PARAMS, DO_FLOOR_MG_L, cwqiOf, indexChange, indexOf } from '../../../shared/domain/cwqi.js';
import { TABLE1 } from '../../../shared/domain/gb3838.js';

const item = (p: Parameters<typeof TABLE1.river.get>[0], body: 'river' | 'lake' = 'river') => TABLE1[body].get(p)!;

describe('CWQI per indicator', () => {
  it.each([[6, 1], [7, 0], [6.5, 0.5], [8, 0.5], [9, 1], [10, 1.5], [5, 2]])('pH %s → %s', (ph, expected) => {
    expect(cwqiOf(item('pH'), ph)).toBeCloseTo(expected, 12);
  });
  it('DO: S_DO(III = 5) / C', () => {
    expect(cwqiOf(item('DO'), 5)).toBe(1);
    expect(cwqiOf(item('DO'), 10)).toBe(0.5);
    expect(cwqiOf(item('DO'), 2.5)).toBe(2);
  });
  it('DO of zero is guarded, not infinite', () => {
    expect(cwqiOf(item('DO'), 0)).toBe(5 / DO_FLOOR_MG_L);
    expect(Number.isFinite(cwqiOf(item('DO'), 0))).toBe(true);
  });
  it('other items: C / Class III limit', () => {
    expect(cwqiOf(item('COD'), 20)).toBe(1);
    expect(cwqiOf(item('COD'), 31)).toBeCloseTo(1.55, 12);
    expect(cwqiOf(item('NH3N'), 0.8)).toBeCloseTo(0.8, 12);
    expect(cwqiOf(item('CODMn'), 3)).toBeCloseTo(0.5, 12);
  });
  it('lakes use the lake TP Class III limit (0.05), rivers 0.2', () => {
    expect(cwqiOf(item('TP', 'lake'), 0.05)).toBeCloseTo(1, 12);
    expect(cwqiOf(item('TP', 'river'), 0.05)).toBeCloseTo(0.25, 12);
  });
});

describe('section index', () => {
  it('sums the 21 items other than water temperature, TN and fecal coliform', () => {
    expect(CWQI_PARAMS).toHaveLength(21);
    for (const p of ['temp', 'TN', 'coliform'] as const) expect(CWQI_PARAMS).not.toContain(p);
    const r = indexOf({ COD: 31, NH3N: 0.8, TN: 5, coliform: 50000, temp: 25 }, 'river');
    expect(r.total).toBeCloseTo(2.35, 12);
    expect(Object.keys(r.contributions).sort()).toEqual(['COD', 'NH3N']);
    expect(r.contributions.COD).toBeCloseTo(1.55 / 2.35, 12);
  });
  it('is null when no indexed item has a value', () => {
    expect(indexOf({ TN: 3 }, 'river').total).toBeNull();
  });
  it('contributions sum to 1 for any set of positive concentrations', () => {
    const value = fc.double({ min: 0.001, max: 100, noNaN: true });
    fc.assert(fc.property(fc.record({ COD: value, NH3N: value, TP: value, DO: value, pH: fc.double({ min: 0, max: 14, noNaN: true }), F: value }, { requiredKeys: ['COD'] }), (values) => {
      const r = indexOf(values, 'river');
      const sum = Object.values(r.contributions).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 9);
    }));
  });
  it('change against a base period: (now − base) / base, > 0 is worse', () => {
    expect(indexChange(3, 2)).toBe(0.5);
    expect(indexChange(1.5, 2)).toBe(-0.25);
    expect(indexChange(1, 0)).toBeNull();
  });
});

/** CWQI at its edges (docs/domain.md#cwqi): an index of 0, the pH band's ends, the DO floor, a partial index, no base. */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { CWQI, DO_FLOOR_MG_L, type WaterIndex, cwqiOf, indexChange, indexOf } from '../../../shared/domain/cwqi.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import { TABLE1 } from '../../../shared/domain/gb3838.js';

const item = (p: Parameters<typeof TABLE1.river.get>[0]) => TABLE1.river.get(p)!;

describe('an index of 0', () => {
  it('pH 7.0 alone: the index is 0, not missing, and it has no contributions to share out (not 0/0)', () => {
    const r = indexOf({ pH: 7 }, 'river');
    expect(r.total).toBe(0);
    expect(r.perParam).toEqual({ pH: 0 });
    expect(r.contributions).toEqual({});
  });

  it('the sample evaluation says the same for the same values', () => {
    const site = defaultRegistry().resolve('zhaoniuhe');
    const e = evaluateSample({ site: site.id, registered: true, time: 0, values: { pH: 7 }, flags: {}, source: { file: 't', line: 1 } }, site);
    expect(e.cwqi).toBe(0);
    expect(e.contributions).toEqual(indexOf({ pH: 7 }, 'river').contributions);
  });

  it('an item whose term is 0 beside others takes no share, and the shares still sum to 1', () => {
    const r = indexOf({ pH: 7, COD: 20 }, 'river');
    expect(r.contributions).toEqual({ pH: 0, COD: 1 });
  });
});

describe('pH', () => {
  it('is 0 at 7 and 1 at either end of the 6–9 band, steeper below 7 than above', () => {
    expect([6, 6.5, 7, 8, 9].map((v) => cwqiOf(item('pH'), v))).toEqual([1, 0.5, 0, 0.5, 1]);
  });
});

describe('dissolved oxygen', () => {
  it('a reading below the floor scores as the floor; one just above it scores as itself', () => {
    expect(cwqiOf(item('DO'), 0.05)).toBe(5 / DO_FLOOR_MG_L);
    expect(cwqiOf(item('DO'), 0.2)).toBe(5 / 0.2);
  });
});

describe('a pluggable index', () => {
  it('an item the index has no indicator for is left out of the total and of the shares', () => {
    const codOnly: WaterIndex = { name: 'COD only', params: ['COD', 'NH3N'], indicator: (p, v, body) => (p === 'COD' ? CWQI.indicator(p, v, body) : undefined) };
    const r = indexOf({ COD: 40, NH3N: 2 }, 'river', codOnly);
    expect(r).toEqual({ total: 2, perParam: { COD: 2 }, contributions: { COD: 1 } });
    expect(indexOf({ NH3N: 2 }, 'river', codOnly).total).toBeNull();
  });

  it('the default index is the CWQI; it has no indicator for an item outside Table 1', () => {
    expect(CWQI.name).toBe('CWQI');
    expect(CWQI.indicator('temp', 25, 'river')).toBeUndefined();
    expect(CWQI.indicator('TP', 0.1, 'lake')).toBeCloseTo(2, 12);
  });
});

describe('change against a base period', () => {
  it('is null without a value now or a base', () => {
    expect(indexChange(null, 2)).toBeNull();
    expect(indexChange(2, null)).toBeNull();
    expect(indexChange(0, 2)).toBe(-1);
  });
});

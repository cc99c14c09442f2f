/**
 * Sample evaluation rules a person would name (docs/domain.md#single-factor-evaluation, #cwqi, #effluent):
 * the order of exceedances and main pollutants, which limit a breach names, what enters the index.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import type { Site } from '../../../shared/domain/sites.js';

const registry = defaultRegistry();
const sample = (site: string, values: Sample['values'], extra: Partial<Sample> = {}): Sample =>
  ({ site, registered: true, time: Date.UTC(2023, 6, 15), values, flags: {}, source: { file: 't', line: 1 }, ...extra });
const evalAt = (site: Site, values: Sample['values'], extra: Partial<Sample> = {}) => evaluateSample(sample(site.id, values, extra), site);
const zhaoniuhe = registry.resolve('zhaoniuhe'); // river, target IV
const outlets = SiteRegistry.parse({
  sites: [
    { id: 'strict', name: '严厂', kind: 'effluent-outlet', target: 'III', effluentLimits: { COD: 30 } },
    { id: 'cod25', name: '二厂', kind: 'effluent-outlet', effluentLimits: { COD: 25, TN: 10 } },
  ],
});

describe('exceedances', () => {
  it('are listed in catalogue order, whatever order the file gave the values in', () => {
    const e = evalAt(zhaoniuhe, { TP: 0.5, NH3N: 2.5, COD: 45 });
    expect(e.exceedances.map((x) => x.param)).toEqual(['COD', 'NH3N', 'TP']);
  });

  it('a pH below the band names its low end, above it its high end', () => {
    expect(evalAt(zhaoniuhe, { pH: 5.5 }).exceedances).toEqual([{ param: 'pH', value: 5.5, limit: 6, multiple: null }]);
    expect(evalAt(zhaoniuhe, { pH: 9.5 }).exceedances).toEqual([{ param: 'pH', value: 9.5, limit: 9, multiple: null }]);
  });

  it('a value within the target is no exceedance, one past it is', () => {
    expect(evalAt(zhaoniuhe, { COD: 30, DO: 3 }).exceedances).toEqual([]);
    expect(evalAt(zhaoniuhe, { COD: 30.5, DO: 2.9 }).exceedances.map((x) => [x.param, x.limit])).toEqual([['DO', 3], ['COD', 30]]);
  });

  it('a value over both its target class and its effluent limit is reported once, against the stricter limit', () => {
    // target III: COD 20; effluent COD 30 — the target is the stricter here.
    expect(evalAt(outlets.resolve('strict'), { COD: 35 }).exceedances).toEqual([{ param: 'COD', value: 35, limit: 20, multiple: 0.75 }]);
    // target IV: COD 30; effluent COD 25 — the effluent limit is the stricter.
    expect(evalAt(outlets.resolve('cod25'), { COD: 35 }).exceedances).toEqual([{ param: 'COD', value: 35, limit: 25, multiple: 0.4 }]);
  });

  it('a below-detection value never breaks an effluent limit either', () => {
    const e = evalAt(outlets.resolve('cod25'), { COD: 27 }, { belowDetection: { COD: true } });
    expect(e).toMatchObject({ grade: 'IV', compliant: true, exceedances: [] });
  });

  it('an outlet measured only for an item that sets no grade is still judged, on its effluent limit', () => {
    const site = outlets.resolve('cod25');
    expect(evalAt(site, { TN: 8 })).toMatchObject({ grade: null, compliant: true });
    expect(evalAt(site, { TN: 12 })).toMatchObject({ grade: null, compliant: false });
  });
});

describe('main pollutants', () => {
  it('the worse class comes first, even with a smaller multiple', () => {
    // Cu 1.01 is 劣V at 0.01× over Class III; NH3-N 1.9 is V at 0.9×.
    expect(evalAt(zhaoniuhe, { NH3N: 1.9, Cu: 1.01 }).mainPollutants).toEqual(['Cu', 'NH3N']);
  });

  it('in the same class, the larger multiple over Class III comes first — a ratio, not a difference', () => {
    // COD 35: (35 − 20)/20 = 0.75; NH3-N 1.9: (1.9 − 1)/1 = 0.9. Both Class V.
    expect(evalAt(zhaoniuhe, { COD: 35, NH3N: 1.9 }).mainPollutants).toEqual(['NH3N', 'COD']);
  });

  it('in the same class, a value without a multiple (pH, DO, below detection) comes after one with', () => {
    expect(evalAt(zhaoniuhe, { pH: 10, Cu: 1.01 }).mainPollutants).toEqual(['Cu', 'pH']);
    expect(evalAt(zhaoniuhe, { Hg: 0.002, Cu: 1.01 }, { belowDetection: { Hg: true } }).mainPollutants).toEqual(['Cu', 'Hg']);
  });

  it('an exact tie keeps the order the file gave', () => {
    // COD 30 and NH3-N 1.5 are both Class IV at 0.5× over Class III.
    expect(evalAt(zhaoniuhe, { COD: 30, NH3N: 1.5 }).mainPollutants).toEqual(['COD', 'NH3N']);
    expect(evalAt(zhaoniuhe, { NH3N: 1.5, COD: 30 }).mainPollutants).toEqual(['NH3N', 'COD']);
  });

  it('are the sample\'s own, whatever was evaluated before it', () => {
    evalAt(zhaoniuhe, { CODMn: 16, NH3N: 1.9, TP: 0.35, COD: 35 });
    expect(evalAt(zhaoniuhe, { COD: 25 }).mainPollutants).toEqual(['COD']);
  });
});

describe('the index', () => {
  it('TN and fecal coliform are graded but never enter the index', () => {
    const e = evalAt(registry.resolve('sixinhe'), { COD: 20, TN: 5, coliform: 50000 });
    expect(e.cwqi).toBe(1);
    expect(e.contributions).toEqual({ COD: 1 });
  });

  it('a below-detection value enters the contributions at half its value too', () => {
    const e = evalAt(zhaoniuhe, { NH3N: 0.025, COD: 10 }, { belowDetection: { NH3N: true } });
    expect(e.contributions.NH3N).toBeCloseTo(0.0125 / (0.5 + 0.0125), 12);
    expect(e.contributions.COD).toBeCloseTo(0.5 / (0.5 + 0.0125), 12);
  });

  it('contributions asked for twice are the same', () => {
    const e = evalAt(zhaoniuhe, { COD: 31, NH3N: 0.8 });
    expect(e.contributions).toBe(e.contributions);
  });
});

/** Sample evaluation: grade, compliance, exceedances, effluent limits, main pollutants (docs/domain.md#single-factor-evaluation, #cwqi, #effluent). */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { evaluateSample, indicatorClasses } from '../../../shared/domain/evaluate.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';

const registry = defaultRegistry();
const sample = (site: string, values: Sample['values'], flags: Sample['flags'] = {}, extra: Partial<Sample> = {}): Sample => ({
  site, registered: true, time: Date.UTC(2023, 6, 15), values, flags, source: { file: 't', line: 1 }, ...extra,
});
const evalAt = (site: string, values: Sample['values'], flags: Sample['flags'] = {}, extra: Partial<Sample> = {}) =>
  evaluateSample(sample(site, values, flags, extra), registry.resolve(site));

describe('evaluateSample', () => {
  it('reproduces the issue example: COD 31 and NH3N 0.8 at sixinhe', () => {
    const e = evalAt('sixinhe', { COD: 31, NH3N: 0.8 }, { COD: 'N' });
    expect(e.grade).toBe('V');
    expect(e.target).toBe('IV');
    expect(e.compliant).toBe(false);
    expect(e.cwqi).toBeCloseTo(2.35, 12);
    expect(e.contributions.COD).toBeCloseTo(0.66, 2);
    expect(e.contributions.NH3N).toBeCloseTo(0.34, 2);
    expect(e.exceedances).toEqual([{ param: 'COD', value: 31, limit: 30, multiple: (31 - 30) / 30 }]);
    expect(e.mainPollutants).toEqual(['COD']);
  });

  it('grade is the worst graded indicator; a value on the target limit complies', () => {
    const e = evalAt('zhaoniuhe', { COD: 30, NH3N: 1.5, TP: 0.3, DO: 3 });
    expect(e.grade).toBe('IV');
    expect(e.compliant).toBe(true);
    expect(e.exceedances).toEqual([]);
  });

  it('rivers: TN and fecal coliform are classed and reported but do not set the grade', () => {
    const e = evalAt('sixinhe', { COD: 10, TN: 8, coliform: 90000 });
    expect(e.grade).toBe('I');
    const classes = indicatorClasses(sample('sixinhe', { COD: 10, TN: 8, coliform: 90000 }), registry.resolve('sixinhe'));
    expect(classes).toEqual({ COD: 'I', TN: '劣V', coliform: '劣V' });
    expect(e.compliant).toBe(true);
  });

  it('lakes: TN sets the grade and TP uses the lake limits', () => {
    const lakes = SiteRegistry.parse({ sites: [{ id: 'lake1', name: '某水库', kind: 'lake-section' }] });
    const s = sample('lake1', { TP: 0.1, TN: 1.2 });
    const e = evaluateSample(s, lakes.resolve('lake1'));
    expect(indicatorClasses(s, lakes.resolve('lake1'))).toEqual({ TP: 'IV', TN: 'IV' });
    expect(e.grade).toBe('IV');
    const e2 = evaluateSample(sample('lake1', { TP: 0.01, TN: 1.6 }), lakes.resolve('lake1'));
    expect(e2.grade).toBe('V');
    expect(e2.exceedances.map((x) => x.param)).toEqual(['TN']);
  });

  it('pH and DO breaches carry the limit broken and no multiple', () => {
    const e = evalAt('xiaomeihe', { pH: 9.4, DO: 1.2 });
    expect(e.grade).toBe('劣V');
    expect(e.exceedances).toEqual([
      { param: 'pH', value: 9.4, limit: 9, multiple: null },
      { param: 'DO', value: 1.2, limit: 3, multiple: null },
    ]);
  });

  it('only unflagged or N-flagged values count; the rest are kept but not evaluated', () => {
    const e = evalAt('sixinhe', { COD: 80, NH3N: 0.4 }, { COD: 'D', NH3N: 'N' });
    expect(e.grade).toBe('II');
    expect(e.compliant).toBe(true);
    expect(e.exceedances).toEqual([]);
    expect(Object.keys(e.contributions)).toEqual(['NH3N']);
    const none = evalAt('sixinhe', { COD: 80 }, { COD: 'M' });
    expect(none.grade).toBeNull();
    expect(none.compliant).toBeNull();
    expect(none.cwqi).toBeNull();
  });

  it('main pollutants: worst class first, ties by multiple over Class III, at most three, only above III', () => {
    const e = evalAt('sixinhe', { COD: 25, NH3N: 1.8, TP: 0.35, CODMn: 16, BOD5: 5 });
    // CODMn 16 is 劣V; NH3N (0.8×) and TP (0.75×) are V; COD and BOD5 are IV.
    expect(e.mainPollutants).toEqual(['CODMn', 'NH3N', 'TP']);
    expect(evalAt('sixinhe', { COD: 19, NH3N: 0.9 }).mainPollutants).toEqual([]);
  });

  it('sewage-plant effluent: COD 30, NH3N 1.5, TP 0.3 by default, every sample', () => {
    const stp = registry.get('hanhai-stp')!;
    expect(stp.effluentLimits).toEqual({ COD: 30, NH3N: 1.5, TP: 0.3 });
    expect(evalAt('hanhai-stp', { COD: 30, NH3N: 1.5, TP: 0.3 }).compliant).toBe(true);
    const bad = evalAt('hanhai-stp', { COD: 28, NH3N: 1.6, TP: 0.2 });
    expect(bad.compliant).toBe(false);
    expect(bad.exceedances).toEqual([{ param: 'NH3N', value: 1.6, limit: 1.5, multiple: expect.closeTo(0.1 / 1.5, 12) }]);
  });

  it('effluent limits are configurable per site, TN included, and checked beside the grade', () => {
    const r = SiteRegistry.parse({ sites: [{ id: 'stp2', name: '二厂', kind: 'effluent-outlet', effluentLimits: { TN: 10, COD: 25 } }] });
    const site = r.resolve('stp2');
    expect(site.effluentLimits).toEqual({ COD: 25, NH3N: 1.5, TP: 0.3, TN: 10 });
    const e = evaluateSample(sample('stp2', { COD: 27, TN: 12, NH3N: 1 }), site);
    expect(e.grade).toBe('IV');
    expect(e.compliant).toBe(false);
    expect(e.exceedances).toEqual([
      { param: 'COD', value: 27, limit: 25, multiple: expect.closeTo(2 / 25, 12) },
      { param: 'TN', value: 12, limit: 10, multiple: expect.closeTo(0.2, 12) },
    ]);
  });

  it('a below-detection value grades at its limit, enters the index at half of it, and never exceeds', () => {
    const e = evalAt('zhaoniuhe', { NH3N: 0.025, COD: 10 }, {}, { belowDetection: { NH3N: true } });
    expect(indicatorClasses(sample('zhaoniuhe', { NH3N: 0.025 }, {}, { belowDetection: { NH3N: true } }), registry.resolve('zhaoniuhe')).NH3N).toBe('I');
    expect(e.cwqi).toBeCloseTo(10 / 20 + 0.0125 / 1.0, 12);
    const high = evalAt('zhaoniuhe', { Hg: 0.002 }, {}, { belowDetection: { Hg: true } });
    expect(high.exceedances).toEqual([]);
  });

  it('an unregistered station is judged as a river section with target IV', () => {
    const site = registry.resolve('某未登记站');
    expect(site.registered).toBe(false);
    expect(site.id).toBe('某未登记站');
    const e = evaluateSample(sample(site.id, { COD: 35 }), site);
    expect(e.target).toBe('IV');
    expect(e.grade).toBe('V');
  });
});

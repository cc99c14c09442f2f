/**
 * Supervision rules a person would name (docs/domain.md#monthly-assessment): a town's month, the run the ladder
 * counts, who is interviewed, a month without data, the zone's mean, the trend window and its test.
 */
import { describe, expect, it } from 'vitest';
import { ladderRun, recipientsOf, townMonthStatus } from '../../../shared/domain/ladder.js';
import { assessMonth } from '../../../shared/domain/monthly-assessment.js';
import { meanOf } from '../../../shared/domain/ranking.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import { mannKendall, senSlope } from '../../../shared/domain/trend.js';
import { type TrendRules, analyseTrend, testWindow } from '../../../shared/domain/trend-verdict.js';

describe('a town\'s month and the ladder', () => {
  it('a section assessed but without a compliance verdict is a data problem, not a compliant month', () => {
    expect(townMonthStatus([{ assessed: true, compliant: null }])).toBe('insufficient-data');
    expect(townMonthStatus([{ assessed: true, compliant: true }, { assessed: true, compliant: null }])).toBe('insufficient-data');
  });

  it('a run that starts at the first month given, after a month without data, names that month too', () => {
    const r = ladderRun([{ month: '2023-06', status: 'insufficient-data' }, { month: '2023-07', status: 'exceeded' }]);
    expect(r).toMatchObject({ consecutive: 1, history: [{ month: '2023-06', status: 'insufficient-data' }, { month: '2023-07', status: 'exceeded' }] });
  });

  it('an interview with the principal head names them as 主要负责人', () => {
    const town = { name: 'A镇', riverChiefs: [], deputyHead: { name: '李四', title: '副镇长' }, principalHead: { name: '王五', title: '镇长' } };
    expect(recipientsOf('interview-principal', town, '管委会')[0]).toEqual({ role: '主要负责人', name: '王五', title: '镇长' });
  });
});

describe('a month without data', () => {
  it('a month whose means hold no day at all reads 无监测数据', () => {
    const site = SiteRegistry.parse({ sites: [{ id: 'r', name: '河', kind: 'river-section' }] }).resolve('r');
    const empty = { site: 'r', period: '2023-07', means: {}, counts: {}, samples: 0, days: 0, validDays: {}, daysWithValidData: 0 };
    expect(assessMonth(site, '2023-07', empty, 1)).toMatchObject({ assessed: false, notAssessedReason: '2023-07 无监测数据' });
  });
});

describe('the zone\'s mean', () => {
  it('is the mean of its sections\' values, and nothing without any', () => {
    expect(meanOf([1, 2, 6])).toBe(3);
    expect(meanOf([])).toBeNull();
  });
});

describe('the trend window', () => {
  const rules: TrendRules = {
    windowMonths: 6, minMonths: 1, alpha: 0.05, referenceLagMonths: 12,
    labels: { rising: '反弹', halted: '遏制', falling: '改善', none: '无显著趋势', insufficient: '数据不足' },
  };

  it('holds the months of the window only, in time order, whatever order they came in', () => {
    const w = testWindow([
      { month: '2023-07', value: 7 }, { month: '2023-01', value: 0 }, { month: '2023-03', value: 3 }, { month: '2023-02', value: 2 }, { month: '2023-08', value: 8 },
    ], '2023-07', rules);
    expect(w.from).toBe('2023-02');
    expect(w.series.map((p) => p.month)).toEqual(['2023-02', '2023-03', '2023-07']);
    expect(w.test?.s).toBe(3);
  });

  it('needs two months at least, whatever the minimum says', () => {
    expect(testWindow([{ month: '2023-07', value: 1 }], '2023-07', rules).test).toBeNull();
    const two = testWindow([{ month: '2023-06', value: 1 }, { month: '2023-07', value: 2 }], '2023-07', rules);
    expect(two.test?.s).toBe(1);
    expect(two.senSlopePerYear).toBe(12);
  });

  it('a p exactly at alpha is not significant', () => {
    const values = [1, 2, 3, 4, 5, 6];
    const series = values.map((value, i) => ({ month: `2023-0${i + 2}`, value }));
    const p = mannKendall(values).p;
    expect(analyseTrend(series, '2023-07', { ...rules, alpha: p }).verdict).toBe('none');
    expect(analyseTrend(series, '2023-07', { ...rules, alpha: p * 1.0001 }).verdict).toBe('rising');
  });
});

describe('Sen\'s slope at its edges', () => {
  it('points at the same time give no slope between them', () => {
    expect(senSlope([{ t: 0, x: 1 }, { t: 0, x: 2 }])).toBeNull();
    expect(senSlope([{ t: 0, x: 1 }, { t: 0, x: 5 }, { t: 1, x: 2 }])).toBe(-1); // 1 and −3
  });

  it('with an odd number of slopes, the middle one', () => {
    // x = 0, 1, 4 at t = 0, 1, 2: slopes 1, 2, 3.
    expect(senSlope([{ t: 0, x: 0 }, { t: 1, x: 1 }, { t: 2, x: 4 }])).toBe(2);
  });
});

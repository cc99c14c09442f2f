/**
 * A site's month from its daily means (docs/domain.md#period-values), worked by hand: the mean of daily means,
 * graded with the single-factor rules of one sample; completeness thresholds; an outlet's month
 * sample by sample; the settings file's validation.
 */
import { describe, expect, it } from 'vitest';
import { defaultSupervisionConfig, minDaysFor, parseSupervisionConfig } from '../../../shared/config/supervision.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import { effluentMonth } from '../../../shared/domain/effluent-month.js';
import { assessMonth } from '../../../shared/domain/monthly-assessment.js';
import { dailyMeans, meanOfMeans, monthlyMeans } from '../../../shared/domain/period-means.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import type { DayPart } from '../../../shared/ports/index.js';
import settings from '../../../config/supervision.json' with { type: 'json' };

const registry = SiteRegistry.parse({
  sites: [
    { id: 'river', name: '河', kind: 'river-section', mn: ['MN1'] },
    { id: 'manual', name: '手工', kind: 'river-section' },
    { id: 'stp', name: '厂', kind: 'effluent-outlet' },
  ],
});
const river = registry.get('river')!;

const part = (day: string, sums: DayPart['sums'], counts: DayPart['counts'], samples: number, fileId = 'f'): DayPart =>
  ({ site: 'river', day, fileId, segment: 0, sums, counts, samples });

// July: day 1 two hourly values (COD 30 and 34, NH3-N 1.0 and 1.2) in one file; day 2 a manual sample
// (COD 36, NH3-N 1.6) in another; day 3 one sample whose values were all flagged (no valid value).
const parts = [
  part('2023-07-01', { COD: 64, NH3N: 2.2 }, { COD: 2, NH3N: 2 }, 2),
  part('2023-07-02', { COD: 36, NH3N: 1.6 }, { COD: 1, NH3N: 1 }, 1, 'manual'),
  part('2023-07-03', {}, {}, 1),
];

describe('monthly means', () => {
  it('a month is the mean of its daily means, not of all its values', () => {
    const [july] = monthlyMeans(dailyMeans(parts));
    // daily COD 32 and 36 → 34 (all values averaged would be (30 + 34 + 36)/3 = 33.33); NH3-N 1.1 and 1.6 → 1.35
    expect(july).toMatchObject({ site: 'river', period: '2023-07', days: 3, daysWithValidData: 2, samples: 4, validDays: { COD: 2, NH3N: 2 }, counts: { COD: 3, NH3N: 3 } });
    expect(july!.means.COD).toBeCloseTo(34, 12);
    expect(july!.means.NH3N).toBeCloseTo(1.35, 12);
  });
  it('parts of one day from several files add up before the day is averaged', () => {
    const [day] = dailyMeans([part('2023-07-01', { COD: 30 }, { COD: 1 }, 1, 'a'), part('2023-07-01', { COD: 70 }, { COD: 3 }, 3, 'b')]);
    expect(day).toMatchObject({ period: '2023-07-01', samples: 4, means: { COD: 25 }, counts: { COD: 4 } });
  });
  it('the year to date averages the months\' means, each month weighing the same', () => {
    expect(meanOfMeans([{ means: { COD: 20, TP: 0.2 } }, { means: { COD: 30 } }])).toEqual({ COD: 25, TP: 0.2 });
  });
});

describe('assessMonth', () => {
  // Built inside each test, not at collection: mutation testing counts what a test reaches (vitest.mutation.config.ts).
  const julyMeans = () => monthlyMeans(dailyMeans(parts))[0];
  it('grades the month\'s means with the rules of one sample: COD 34 is Class V, over target IV by 0.1333', () => {
    const a = assessMonth(river, '2023-07', julyMeans(), 2);
    expect(a).toMatchObject({ assessed: true, grade: 'V', target: 'IV', compliant: false, mainPollutants: ['COD', 'NH3N'] });
    expect(a.exceedances).toEqual([{ param: 'COD', value: expect.closeTo(34, 12), limit: 30, multiple: expect.closeTo(4 / 30, 12) }]);
    // CWQI: COD 34/20 = 1.7, NH3-N 1.35/1.0 = 1.35 → 3.05; contributions 1.7/3.05 and 1.35/3.05
    expect(a.cwqi).toBeCloseTo(3.05, 12);
    expect(a.contributions.COD).toBeCloseTo(1.7 / 3.05, 12);
    expect(a.contributions.NH3N).toBeCloseTo(1.35 / 3.05, 12);
    // the same figures a sample with these values gets: one grading implementation
    const asSample = evaluateSample({ site: 'river', registered: true, time: 0, values: julyMeans()!.means, flags: {}, source: { file: '', line: 0 } }, river);
    expect({ grade: a.grade, cwqi: a.cwqi, exceedances: a.exceedances }).toEqual({ grade: asSample.grade, cwqi: asSample.cwqi, exceedances: asSample.exceedances });
  });
  it('below the threshold the month is reported with its means but never graded or counted compliant', () => {
    const a = assessMonth(river, '2023-07', julyMeans(), 3);
    expect(a).toMatchObject({ assessed: false, grade: null, compliant: null, cwqi: null, exceedances: [], daysWithValidData: 2, minDays: 3 });
    expect(a.notAssessedReason).toBe('2023-07 有效数据 2 天，少于评价所需的 3 天');
    expect(a.means.COD).toBeCloseTo(34, 12);
  });
  it('a month with samples but no valid value, and a month without data, are not assessed even at threshold 0', () => {
    const [flagged] = monthlyMeans(dailyMeans([parts[2]!]));
    expect(assessMonth(river, '2023-07', flagged, 0)).toMatchObject({ assessed: false, notAssessedReason: '2023-07 有 1 天数据，但无有效数据（均带无效标识）' });
    expect(assessMonth(river, '2023-08', undefined, 1)).toMatchObject({ assessed: false, days: 0, notAssessedReason: '2023-08 无监测数据' });
  });
});

describe('completeness thresholds', () => {
  const config = defaultSupervisionConfig();
  it('an online station (HJ 212 MN) needs 20 days, a manual section 1, an unregistered station the manual threshold', () => {
    expect(minDaysFor(river, config)).toBe(20);
    expect(minDaysFor(registry.get('manual')!, config)).toBe(1);
    expect(minDaysFor(registry.resolve('某未登记站'), config)).toBe(1);
  });
  it('a per-site setting wins', () => {
    const c = parseSupervisionConfig({ ...settings, completeness: { online: 20, manual: 1, sites: { river: 25 } } });
    expect(minDaysFor(river, c)).toBe(25);
    const [july] = monthlyMeans(dailyMeans(parts));
    expect(assessMonth(river, '2023-07', july, minDaysFor(registry.get('manual')!, c)).assessed).toBe(true);
    expect(assessMonth(river, '2023-07', july, minDaysFor(river, c)).assessed).toBe(false);
  });
  it('a bad settings file is refused, naming the field', () => {
    expect(() => parseSupervisionConfig({ ...settings, trends: { ...settings.trends, alpha: 2 } }, 'supervision.json')).toThrow(/supervision.json is not valid: trends\.alpha/);
    expect(() => parseSupervisionConfig({ ...settings, trends: { ...settings.trends, minMonths: 30 } })).toThrow(/minMonths \(30\) is more than trends.windowMonths \(24\)/);
    expect(() => parseSupervisionConfig({ ...settings, trends: { ...settings.trends, goalMetBy: ['maybe'] } })).toThrow(/goalMetBy/);
    expect(() => parseSupervisionConfig({ ...settings, completeness: { online: -1, manual: 1 } })).toThrow(/completeness\.online/);
  });
});

describe('effluentMonth', () => {
  const stp = registry.get('stp')!;
  const judge = (time: string, values: Record<string, number>) =>
    ({ time, evaluation: evaluateSample({ site: 'stp', registered: true, time: 0, values, flags: {}, source: { file: '', line: 0 } }, stp) });
  it('the share of compliant samples and the worst sample by largest multiple', () => {
    const m = effluentMonth([
      judge('2023-07-18T02:00:00+08:00', { COD: 22, NH3N: 0.5, TP: 0.15 }),
      judge('2023-07-18T08:00:00+08:00', { COD: 22, NH3N: 1.9, TP: 0.15 }), // NH3-N (1.9 − 1.5)/1.5 = 0.2667
      judge('2023-07-18T10:00:00+08:00', { COD: 33, NH3N: 0.5, TP: 0.15 }), // COD (33 − 30)/30 = 0.1
    ]);
    expect(m).toMatchObject({ samples: 3, compliantSamples: 1, compliantShare: 1 / 3 });
    expect(m.worst).toMatchObject({ time: '2023-07-18T08:00:00+08:00', exceedances: [{ param: 'NH3N', limit: 1.5 }] });
  });
  it('no sample to judge: share and worst are null', () => {
    expect(effluentMonth([])).toEqual({ samples: 0, compliantSamples: 0, compliantShare: null, worst: null });
  });
});

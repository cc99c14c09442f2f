/**
 * The flood-season swing rule on its own (docs/domain.md#flood-season): the window and its edges, the
 * thresholds and their edges, each reason alone, the baseline and the previous day. The site is
 * zhaoniuhe (river, target IV); most days carry COD alone, whose index term is COD / 20 and whose
 * class is I/II ≤ 15, III ≤ 20, IV ≤ 30, V ≤ 40, 劣V above.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { type AlertConfig, DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { type DayIndex, baselineDays, checkFluctuation, dayIndex, floodRuleApplies, previousDay } from '../../../shared/alerts/flood-rule.js';
import type { ParamId } from '../../../shared/domain/parameters.js';

const site = defaultRegistry().resolve('zhaoniuhe');
type Flood = AlertConfig['flood'];
const withFlood = (flood: Partial<Flood>): AlertConfig => ({ ...DEFAULT_ALERT_CONFIG, flood: { ...DEFAULT_ALERT_CONFIG.flood, ...flood } });
/** Only the baseline rise can fire (the other reasons are out of reach). */
const baselineOnly = (vsBaseline: number, more: Partial<Flood> = {}) => withFlood({ vsBaseline, dayOnDay: 100, gradeDrop: 5, ...more });
/** Only the day-on-day rise can fire. */
const dayOnDayOnly = (dayOnDay: number, more: Partial<Flood> = {}) => withFlood({ vsBaseline: 100, dayOnDay, gradeDrop: 5, ...more });
/** Only the grade can fire. */
const gradeOnly = (more: Partial<Flood> = {}) => withFlood({ vsBaseline: 100, dayOnDay: 100, ...more });

function day(date: string, means: Partial<Record<ParamId, number>>): DayIndex {
  const d = dayIndex(date, means, site);
  if (!d) throw new Error(`no index for ${JSON.stringify(means)}`);
  return d;
}
const days = (n: number, means: Partial<Record<ParamId, number>>) => Array.from({ length: n }, () => day('2023-05-15', means));

describe('the window', () => {
  it("the window's first and last day count; the days either side do not", () => {
    const config = DEFAULT_ALERT_CONFIG;
    for (const d of ['2023-06-01', '2023-09-30']) expect(floodRuleApplies(d, config), d).toBe(true);
    for (const d of ['2023-05-31', '2023-10-01']) expect(floodRuleApplies(d, config), d).toBe(false);
  });

  it('a big rise is a swing on the first and the last day of the window and silent on the days either side', () => {
    const base = days(3, { COD: 10 });
    for (const d of ['2023-06-01', '2023-09-30']) {
      expect(checkFluctuation(site, day(d, { COD: 30 }), undefined, base, DEFAULT_ALERT_CONFIG)?.inWindow, d).toBe(true);
    }
    for (const d of ['2023-05-31', '2023-10-01']) {
      expect(checkFluctuation(site, day(d, { COD: 30 }), undefined, base, DEFAULT_ALERT_CONFIG), d).toBeUndefined();
    }
  });

  it('a window that crosses the new year holds the end of one year and the start of the next', () => {
    const config = withFlood({ window: { from: '12-01', to: '02-28' } });
    for (const d of ['2023-12-01', '2023-12-31', '2024-01-01', '2024-02-28']) expect(floodRuleApplies(d, config), d).toBe(true);
    for (const d of ['2023-11-30', '2024-02-29', '2024-03-01', '2024-07-01']) expect(floodRuleApplies(d, config), d).toBe(false);
    const event = checkFluctuation(site, day('2024-01-01', { COD: 30 }), undefined, days(3, { COD: 10 }), config);
    expect(event?.inWindow).toBe(true);
  });

  it('outside the window, once enabled, every day is looked at against the outside thresholds, and flagged as outside', () => {
    const config = withFlood({ outsideWindow: { enabled: true, vsBaseline: 0.5, dayOnDay: 100 }, dayOnDay: 100 });
    expect(floodRuleApplies('2023-03-01', config)).toBe(true);
    const base = days(3, { COD: 5 }); // 0.25
    // +40 %: above the window's 30 %, not above the outside 50 %.
    expect(checkFluctuation(site, day('2023-10-01', { COD: 7 }), undefined, base, config)).toBeUndefined();
    expect(checkFluctuation(site, day('2023-07-01', { COD: 7 }), undefined, base, config)?.reasons).toEqual(['baseline']);
    // +60 % outside the window is a swing, marked as outside.
    const outside = checkFluctuation(site, day('2023-10-01', { COD: 8 }), undefined, base, config);
    expect(outside).toMatchObject({ inWindow: false, reasons: ['baseline'] });
  });

  it('the main season runs from 16 July to 15 August, both days included', () => {
    const main = (d: string) => checkFluctuation(site, day(d, { COD: 30 }), undefined, days(3, { COD: 10 }), DEFAULT_ALERT_CONFIG)?.mainSeason;
    expect([main('2023-07-15'), main('2023-07-16'), main('2023-08-15'), main('2023-08-16')]).toEqual([false, true, true, false]);
  });
});

describe('the thresholds', () => {
  // COD 5 → 0.25 and COD 7.5 → 0.375: exactly +50 % in binary floating point.
  it('a rise against the baseline of exactly the threshold is not a swing; just above it is', () => {
    const config = baselineOnly(0.5);
    const base = days(4, { COD: 5 });
    expect(checkFluctuation(site, day('2023-07-01', { COD: 7.5 }), undefined, base, config)).toBeUndefined();
    const event = checkFluctuation(site, day('2023-07-01', { COD: 7.6 }), undefined, base, config);
    expect(event).toMatchObject({ reasons: ['baseline'], baseline: 0.25, previous: null, dayOnDay: null });
    expect(event?.vsBaseline).toBeCloseTo(0.52, 12);
    expect(event?.cwqi).toBeCloseTo(0.38, 12);
  });

  it('a rise against the previous day of exactly the threshold is not a swing; just above it is', () => {
    const config = dayOnDayOnly(0.5);
    const yesterday = day('2023-06-30', { COD: 5 });
    expect(checkFluctuation(site, day('2023-07-01', { COD: 7.5 }), yesterday, [], config)).toBeUndefined();
    const event = checkFluctuation(site, day('2023-07-01', { COD: 7.6 }), yesterday, [], config);
    expect(event).toMatchObject({ reasons: ['day-on-day'], previous: 0.25, baseline: null, vsBaseline: null });
    expect(event?.dayOnDay).toBeCloseTo(0.52, 12);
  });

  it('the day-on-day reason alone, with the default thresholds: no baseline days, +60 % on yesterday', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 8 }), day('2023-06-30', { COD: 5 }), [], DEFAULT_ALERT_CONFIG);
    expect(event?.reasons).toEqual(['day-on-day']);
    expect(event?.cwqi).toBeCloseTo(0.4, 12);
    expect(event?.grade).toBe('I');
    expect(event?.previousGrade).toBe('I');
  });

  it('a day that is better than its baseline and its previous day raises nothing', () => {
    expect(checkFluctuation(site, day('2023-07-01', { COD: 5 }), day('2023-06-30', { COD: 20 }), days(3, { COD: 20 }), DEFAULT_ALERT_CONFIG)).toBeUndefined();
  });

  it('a baseline or a previous day with an index of 0 gives no comparison, not a division by zero', () => {
    // pH 7 is the one value whose index term is 0.
    const event = checkFluctuation(site, day('2023-07-01', { pH: 8 }), day('2023-06-30', { pH: 7 }), days(3, { pH: 7 }), DEFAULT_ALERT_CONFIG);
    expect(event).toBeUndefined();
  });
});

describe('the grade against the previous day', () => {
  it('a fall of one class beyond the target (IV → V) is a swing on its own', () => {
    // 1.5 → 1.75 is +17 %: below the day-on-day threshold.
    const event = checkFluctuation(site, day('2023-07-01', { COD: 35 }), day('2023-06-30', { COD: 30 }), [], DEFAULT_ALERT_CONFIG);
    expect(event).toMatchObject({ reasons: ['grade'], grade: 'V', previousGrade: 'IV' });
  });

  it('a fall onto the target (III → IV) does not count by default; it does with gradeOnlyBeyondTarget off', () => {
    const today = day('2023-07-01', { COD: 25 });
    const yesterday = day('2023-06-30', { COD: 20 });
    expect(checkFluctuation(site, today, yesterday, [], gradeOnly())).toBeUndefined();
    expect(checkFluctuation(site, today, yesterday, [], gradeOnly({ gradeOnlyBeyondTarget: false })))
      .toMatchObject({ reasons: ['grade'], grade: 'IV', previousGrade: 'III' });
  });

  it('a fall smaller than gradeDrop does not count; one of exactly gradeDrop classes does', () => {
    const config = gradeOnly({ gradeDrop: 2 });
    const yesterday = day('2023-06-30', { COD: 30 }); // IV
    expect(checkFluctuation(site, day('2023-07-01', { COD: 35 }), yesterday, [], config)).toBeUndefined(); // V: one class
    expect(checkFluctuation(site, day('2023-07-01', { COD: 45 }), yesterday, [], config)).toMatchObject({ reasons: ['grade'], grade: '劣V' });
  });

  it('an unchanged grade is no fall, even beyond the target', () => {
    expect(checkFluctuation(site, day('2023-07-01', { COD: 36 }), day('2023-06-30', { COD: 35 }), [], gradeOnly({ gradeOnlyBeyondTarget: false }))).toBeUndefined();
  });

  it('a grade fall counts only inside the window, even when the rule runs outside it', () => {
    const config = gradeOnly({ outsideWindow: { enabled: true, vsBaseline: 100, dayOnDay: 100 } });
    expect(checkFluctuation(site, day('2023-10-02', { COD: 35 }), day('2023-10-01', { COD: 30 }), [], config)).toBeUndefined();
  });

  it('the grades are compared over the items both days have: an item yesterday lacked cannot make a fall', () => {
    // Today NH3-N 1.8 is Class V, but yesterday measured COD only: over COD, IV → IV.
    const event = checkFluctuation(site, day('2023-07-01', { COD: 30, NH3N: 1.8 }), day('2023-06-30', { COD: 30 }), [], gradeOnly());
    expect(event).toBeUndefined();
  });

  it('without a previous day there is no day-on-day comparison and no grade fall', () => {
    expect(checkFluctuation(site, day('2023-07-01', { COD: 45 }), undefined, [], DEFAULT_ALERT_CONFIG)).toBeUndefined();
  });
});

describe('the baseline', () => {
  it('is the N days before the window opens', () => {
    expect(baselineDays('2023-07-15', DEFAULT_ALERT_CONFIG)).toEqual({ from: '2023-05-02', to: '2023-05-31' });
    expect(baselineDays('2024-09-30', withFlood({ baselineDays: 1 }))).toEqual({ from: '2024-05-31', to: '2024-05-31' });
  });

  it('counts back across the end of February, in leap years and others', () => {
    const march = withFlood({ window: { from: '03-01', to: '05-31' }, baselineDays: 2 });
    expect(baselineDays('2024-04-01', march)).toEqual({ from: '2024-02-28', to: '2024-02-29' });
    expect(baselineDays('2023-04-01', march)).toEqual({ from: '2023-02-27', to: '2023-02-28' });
  });

  it('of a window that crosses the new year is taken before the opening in the previous year for a day in January', () => {
    const winter = withFlood({ window: { from: '12-01', to: '02-28' }, baselineDays: 30 });
    expect(baselineDays('2024-01-15', winter)).toEqual({ from: '2023-11-01', to: '2023-11-30' });
    expect(baselineDays('2023-12-15', winter)).toEqual({ from: '2023-11-01', to: '2023-11-30' });
  });

  it('is never in the future: a day outside the window, before it opens, looks back to the last opening', () => {
    expect(baselineDays('2023-03-10', DEFAULT_ALERT_CONFIG)).toEqual({ from: '2022-05-02', to: '2022-05-31' });
    expect(baselineDays('2023-05-31', DEFAULT_ALERT_CONFIG)).toEqual({ from: '2022-05-02', to: '2022-05-31' });
    expect(baselineDays('2023-06-01', DEFAULT_ALERT_CONFIG)).toEqual({ from: '2023-05-02', to: '2023-05-31' });
  });

  it('is the mean of the baseline days’ index', () => {
    const base = [day('2023-05-01', { COD: 5 }), day('2023-05-02', { COD: 15 })]; // 0.25, 0.75
    const event = checkFluctuation(site, day('2023-07-01', { COD: 15 }), undefined, base, baselineOnly(0.3));
    expect(event?.baseline).toBeCloseTo(0.5, 12);
    expect(event?.vsBaseline).toBeCloseTo(0.5, 12);
  });

  it('compares only the items most baseline days have: an item on exactly half of them stays out', () => {
    // BOD5 (Class III limit 4) is today's only rise; COD is flat at 0.5.
    const half = [...days(2, { COD: 10, BOD5: 2 }), ...days(2, { COD: 10 })];
    const most = [...days(3, { COD: 10, BOD5: 2 }), ...days(1, { COD: 10 })];
    const today = day('2023-07-01', { COD: 10, BOD5: 8 });
    expect(checkFluctuation(site, today, undefined, half, baselineOnly(0.3))).toBeUndefined();
    const event = checkFluctuation(site, today, undefined, most, baselineOnly(0.3));
    expect(event?.reasons).toEqual(['baseline']);
    // (3 × (0.5 + 0.5) + 0.5) / 4 against 0.5 + 2: over COD and BOD5.
    expect(event?.baseline).toBeCloseTo(0.875, 12);
    expect(event?.cwqi).toBeCloseTo(2.5, 12);
  });

  it('reports the index over the baseline\'s items when there is a baseline, and the whole index when there is none', () => {
    const today = day('2023-07-01', { COD: 10, BOD5: 8 }); // 0.5 + 2
    const event = checkFluctuation(site, today, undefined, days(3, { COD: 5 }), baselineOnly(0.3));
    expect(event?.cwqi).toBeCloseTo(0.5, 12);
    const noBaseline = checkFluctuation(site, today, day('2023-06-30', { COD: 10, BOD5: 2 }), [], dayOnDayOnly(0.3));
    expect(noBaseline?.cwqi).toBeCloseTo(2.5, 12);
  });

  it('its grade is the median of the baseline days’ grades (with an even number, the worse middle one)', () => {
    const graded = (...cods: number[]) => cods.map((COD) => day('2023-05-15', { COD }));
    const grade = (base: DayIndex[]) => checkFluctuation(site, day('2023-07-01', { COD: 45 }), undefined, base, baselineOnly(0.3))?.baselineGrade;
    expect(grade(graded(35, 10, 25))).toBe('IV'); // V, I, IV → I, IV, V
    expect(grade(graded(35, 10, 25, 18))).toBe('IV'); // I, III, IV, V
    expect(grade(graded(12))).toBe('I');
  });

  it('a baseline day without the compared items has no grade and does not count towards the median', () => {
    // Today COD; the baseline: two COD days (III, III) and one NH3-N-only day, which has no COD grade.
    const base = [...days(2, { COD: 18 }), day('2023-05-03', { NH3N: 1.8 })];
    const event = checkFluctuation(site, day('2023-07-01', { COD: 45 }), undefined, base, baselineOnly(0.3));
    expect(event?.baselineGrade).toBe('III');
  });

  it('no baseline days: no baseline, no baseline grade', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 45 }), day('2023-06-30', { COD: 10 }), [], DEFAULT_ALERT_CONFIG);
    expect(event).toMatchObject({ baseline: null, vsBaseline: null, baselineGrade: null });
  });
});

describe('the indicators that drove a swing', () => {
  it('are those whose index terms rose most against their baseline mean, largest rise first, at most three', () => {
    const base = [
      day('2023-05-01', { COD: 10, NH3N: 0.5, TP: 0.1, BOD5: 2, F: 0.5 }),
      day('2023-05-02', { COD: 10, NH3N: 0.5, TP: 0.1, BOD5: 2, F: 0.5 }),
      day('2023-05-03', { COD: 10, NH3N: 0.5, TP: 0.1, F: 0.5 }),
    ];
    // rises: COD 0.5 → 1.5 (+1), NH3-N 0.5 → 2 (+1.5), TP 0.5 → 0.75 (+0.25), BOD5 0.5 → 1 (+0.5); F falls.
    const today = day('2023-07-01', { COD: 30, NH3N: 2, TP: 0.15, BOD5: 4, F: 0.25 });
    const event = checkFluctuation(site, today, undefined, base, DEFAULT_ALERT_CONFIG);
    expect(event?.drivers.map((d) => d.param)).toEqual(['NH3N', 'COD', 'BOD5']);
    expect(event?.drivers[0]?.from).toBeCloseTo(0.5, 12);
    expect(event?.drivers[0]?.to).toBeCloseTo(2, 12);
    // BOD5's reference is the mean over the two days that have it, not over all three.
    expect(event?.drivers[2]?.from).toBeCloseTo(0.5, 12);
  });

  it('without a baseline, are measured against the previous day; an item that fell is not one', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 30, NH3N: 0.25 }), day('2023-06-30', { COD: 10, NH3N: 0.5 }), [], DEFAULT_ALERT_CONFIG);
    expect(event?.drivers).toEqual([{ param: 'COD', from: 0.5, to: 1.5 }]);
  });

  it('an item the reference lacks is not named', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 30, NH3N: 2 }), day('2023-06-30', { COD: 10 }), [], DEFAULT_ALERT_CONFIG);
    expect(event?.drivers.map((d) => d.param)).toEqual(['COD']);
  });
});

describe('the day index', () => {
  it('is the CWQI and the grade of the day’s means', () => {
    expect(dayIndex('2023-07-01', { COD: 31, NH3N: 0.8 }, site)).toMatchObject({ day: '2023-07-01', grade: 'V', terms: { COD: 1.55, NH3N: 0.8 } });
    expect(dayIndex('2023-07-01', { COD: 31, NH3N: 0.8 }, site)?.cwqi).toBeCloseTo(2.35, 12);
  });
  it('is undefined for a day without an indexed item', () => {
    expect(dayIndex('2023-07-01', { TN: 3 }, site)).toBeUndefined();
  });
  it('the previous day crosses months, years and 29 February', () => {
    expect(['2023-03-01', '2024-03-01', '2024-01-01', '2023-07-16'].map(previousDay)).toEqual(['2023-02-28', '2024-02-29', '2023-12-31', '2023-07-15']);
  });
});

describe('what a swing reports', () => {
  it('a one-day window holds that day only', () => {
    const config = withFlood({ window: { from: '07-01', to: '07-01' } });
    expect(['2023-06-30', '2023-07-01', '2023-07-02'].map((d) => floodRuleApplies(d, config))).toEqual([false, true, false]);
  });

  it('baseline days sharing no item with today give no baseline, and the whole day\'s index is reported', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 8 }), day('2023-06-30', { COD: 5 }), days(3, { NH3N: 0.5 }), DEFAULT_ALERT_CONFIG);
    expect(event).toMatchObject({ reasons: ['day-on-day'], baseline: null, vsBaseline: null, baselineGrade: null });
    expect(event?.cwqi).toBeCloseTo(0.4, 12);
  });

  it('a previous day sharing no item with today gives no previous index and no previous grade', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 30 }), day('2023-06-30', { NH3N: 0.5 }), days(3, { COD: 10 }), DEFAULT_ALERT_CONFIG);
    expect(event).toMatchObject({ reasons: ['baseline'], previous: null, dayOnDay: null, previousGrade: null });
  });

  it('the grade beside a baseline swing is over the baseline\'s items, as the baseline grade is', () => {
    // Today NH3-N 1.8 (Class V) is an item the baseline lacks; over COD the day is Class I.
    const event = checkFluctuation(site, day('2023-07-01', { COD: 10, NH3N: 1.8 }), undefined, days(3, { COD: 5 }), baselineOnly(0.3));
    expect(event).toMatchObject({ reasons: ['baseline'], grade: 'I', baselineGrade: 'I' });
  });

  it('the grade a grade fall reports is the one compared, over the items both days have', () => {
    // Over COD, IV → V; the whole day, with NH3-N 2.5, is 劣V.
    const event = checkFluctuation(site, day('2023-07-01', { COD: 35, NH3N: 2.5 }), day('2023-06-30', { COD: 30 }), [], gradeOnly());
    expect(event).toMatchObject({ reasons: ['grade'], grade: 'V', previousGrade: 'IV' });
  });

  it('an item that did not change is not a driver', () => {
    const event = checkFluctuation(site, day('2023-07-01', { COD: 30, NH3N: 0.5 }), day('2023-06-30', { COD: 10, NH3N: 0.5 }), [], DEFAULT_ALERT_CONFIG);
    expect(event?.drivers.map((d) => d.param)).toEqual(['COD']);
  });
});

/** Period means from day parts (docs/domain.md#period-values): what counts as a day, a valid day and a value, and the order of the result. */
import { describe, expect, it } from 'vitest';
import { dailyMeans, meanOfMeans, monthlyMeans, type DaySums, type PeriodMeans } from '../../../shared/domain/period-means.js';

const part = (site: string, day: string, sums: DaySums['sums'], counts: DaySums['counts'], samples = 1): DaySums => ({ site, day, sums, counts, samples });
const daily = (site: string, period: string, means: PeriodMeans['means'], counts: PeriodMeans['counts'], samples = 1): PeriodMeans => ({ site, period, means, counts, samples });

describe('daily means', () => {
  it('are sorted by site, then by day, whatever order the parts came in', () => {
    const out = dailyMeans([
      part('b', '2023-07-02', { COD: 1 }, { COD: 1 }), part('a', '2023-07-02', { COD: 1 }, { COD: 1 }),
      part('b', '2023-07-01', { COD: 1 }, { COD: 1 }), part('a', '2023-07-01', { COD: 1 }, { COD: 1 }),
    ]);
    expect(out.map((d) => `${d.site} ${d.period}`)).toEqual(['a 2023-07-01', 'a 2023-07-02', 'b 2023-07-01', 'b 2023-07-02']);
  });

  it('an item a part has no valid value of adds nothing: no 0/0 and no zero dragging the mean', () => {
    const [d] = dailyMeans([part('a', '2023-07-01', { COD: 20, TP: 0 }, { COD: 1, TP: 0 }), part('a', '2023-07-01', { COD: 40 }, { COD: 1 })]);
    expect(d).toEqual({ site: 'a', period: '2023-07-01', means: { COD: 30 }, counts: { COD: 2 }, samples: 2 });
  });

  it('a part without a count for an item it has a sum of adds nothing', () => {
    const [d] = dailyMeans([part('a', '2023-07-01', { COD: 20, NH3N: 5 }, { COD: 1 })]);
    expect(d?.means).toEqual({ COD: 20 });
  });
});

describe('monthly means', () => {
  it('are sorted by site, then by month', () => {
    const out = monthlyMeans([
      daily('b', '2023-08-01', { COD: 1 }, { COD: 1 }), daily('a', '2023-08-01', { COD: 1 }, { COD: 1 }),
      daily('b', '2023-07-01', { COD: 1 }, { COD: 1 }), daily('a', '2023-07-01', { COD: 1 }, { COD: 1 }),
    ]);
    expect(out.map((m) => `${m.site} ${m.period}`)).toEqual(['a 2023-07', 'a 2023-08', 'b 2023-07', 'b 2023-08']);
  });

  it('a day with samples but no valid value is a day, not a valid day; a day without samples is neither', () => {
    const [m] = monthlyMeans([
      daily('a', '2023-07-01', { COD: 20 }, { COD: 2 }, 2),
      daily('a', '2023-07-02', {}, {}, 3),
      daily('a', '2023-07-03', {}, {}, 0),
    ]);
    expect(m).toMatchObject({ days: 2, daysWithValidData: 1, samples: 5, validDays: { COD: 1 }, counts: { COD: 2 }, means: { COD: 20 } });
  });

  it('each item is averaged over the days that have it, and its values are counted across them', () => {
    const [m] = monthlyMeans([
      daily('a', '2023-07-01', { COD: 20, TP: 0.1 }, { COD: 24, TP: 1 }, 24),
      daily('a', '2023-07-02', { COD: 30 }, { COD: 24 }, 24),
    ]);
    expect(m).toMatchObject({ validDays: { COD: 2, TP: 1 }, counts: { COD: 48, TP: 1 }, daysWithValidData: 2, days: 2 });
    expect(m?.means).toEqual({ COD: 25, TP: 0.1 });
  });
});

describe('the mean of several periods', () => {
  it('is per item over the periods that have it; nothing in, nothing out', () => {
    expect(meanOfMeans([{ means: { COD: 10 } }, { means: { COD: 20, TP: 0.3 } }, { means: { COD: 30 } }])).toEqual({ COD: 20, TP: 0.3 });
    expect(meanOfMeans([])).toEqual({});
  });
});

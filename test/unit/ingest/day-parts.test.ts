/**
 * Day parts, the running sums behind daily and monthly means: however a file is cut into parts
 * (to keep memory flat) and in whatever order its rows come, the means are those of its samples.
 * Below-detection values count at half the limit (a convention: docs/domain.md#validity-and-detection-limits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamId } from '../../../shared/domain/parameters.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { dailyMeans, monthlyMeans } from '../../../shared/domain/period-means.js';
import { DayPartCollector } from '../../../shared/ingest/day-parts.js';
import type { DayPart } from '../../../shared/ports/index.js';
import { shanghai } from '../../helpers/parse.js';

const ZONE = 'Asia/Shanghai';

function sample(site: string, local: string, values: Partial<Record<ParamId, number>>, extra: Partial<Sample> = {}): Sample {
  return { site, registered: true, time: shanghai(local), values, flags: {}, source: { file: 'f.csv', line: 2 }, ...extra };
}

/** Feeds samples through a collector the way ingestObject does, storing overflow as it comes. */
function collect(samples: readonly Sample[], maxOpen: number): { stored: DayPart[]; collector: DayPartCollector } {
  const collector = new DayPartCollector('raw/f.csv', ZONE, 0.5, maxOpen);
  const stored: DayPart[] = [];
  for (const s of samples) {
    collector.add(s);
    stored.push(...collector.takeOverflow());
  }
  stored.push(...collector.takeAll());
  return { stored, collector };
}

describe('DayPartCollector', () => {
  it('sums valid values per site and local day; flagged values and samples count as the rules say', () => {
    const { stored } = collect([
      sample('a', '2023-07-15 00:30', { COD: 20, NH3N: 0.5 }),
      sample('a', '2023-07-15 23:30', { COD: 30, NH3N: 0.05 }, { belowDetection: { NH3N: true } }),
      sample('a', '2023-07-16 00:10', { COD: 99 }, { flags: { COD: 'D' } }), // instrument fault: not averaged
    ], 1000);
    const [day15, day16] = dailyMeans(stored);
    expect(day15).toMatchObject({ site: 'a', period: '2023-07-15', samples: 2, means: { COD: 25, NH3N: expect.closeTo((0.5 + 0.025) / 2, 12) } });
    expect(day16).toMatchObject({ period: '2023-07-16', samples: 1, means: {}, counts: {} });
  });

  it('a local day follows Beijing time, not UTC (16:00 UTC is already the next day)', () => {
    const { stored } = collect([sample('a', '2023-07-16 00:30', { COD: 20 })], 1000);
    expect(stored.map((p) => p.day)).toEqual(['2023-07-16']);
  });

  it('holds no more than maxOpen site-days: the oldest-opened half is handed out, with its segment', () => {
    const collector = new DayPartCollector('raw/f.csv', ZONE, 0.5, 4);
    for (let d = 1; d <= 4; d++) collector.add(sample('a', `2023-07-0${d} 08:00`, { COD: d }));
    expect(collector.takeOverflow()).toEqual([]);
    collector.add(sample('a', '2023-07-05 08:00', { COD: 5 }));
    const out = collector.takeOverflow();
    expect(out.map((p) => [p.day, p.segment])).toEqual([['2023-07-01', 0], ['2023-07-02', 0], ['2023-07-03', 0]]);
    expect(collector.size).toBe(2);
    expect(collector.takeAll().map((p) => [p.day, p.segment])).toEqual([['2023-07-04', 1], ['2023-07-05', 1]]);
  });

  it('a day that comes back after its part was stored opens another segment, and days() names it once', () => {
    const rows = ['01', '02', '03', '01'].map((d, i) => sample('a', `2023-07-${d} 0${i}:00`, { COD: 10 * (i + 1) }));
    const { stored, collector } = collect(rows, 2);
    const july1 = stored.filter((p) => p.day === '2023-07-01');
    expect(july1.map((p) => p.segment)).toEqual([0, 1]);
    expect(dailyMeans(july1)[0]).toMatchObject({ samples: 2, means: { COD: 25 } });
    expect(collector.days()).toEqual([{ site: 'a', day: '2023-07-01' }, { site: 'a', day: '2023-07-02' }, { site: 'a', day: '2023-07-03' }]);
  });

  it('the same rows give the same parts under the same keys (a re-run overwrites, never adds)', () => {
    const rows = Array.from({ length: 50 }, (_, i) => sample(i % 2 ? 'a' : 'b', `2023-0${1 + (i % 9)}-1${i % 10} 08:00`, { COD: i }));
    const key = (p: DayPart) => `${p.site}|${p.day}|${p.segment}|${p.samples}|${p.sums.COD}`;
    expect(collect(rows, 6).stored.map(key)).toEqual(collect(rows, 6).stored.map(key));
  });

  it('however small the limit and whatever the row order, daily and monthly means are the same', () => {
    const row = fc.record({
      site: fc.constantFrom('a', 'b', 'c'), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }), cod: fc.integer({ min: 0, max: 400 }),
    });
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 20 }), (rs, maxOpen) => {
      const samples = rs.map((r) => sample(r.site, `2023-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')} ${String(r.hour).padStart(2, '0')}:00`, { COD: r.cod }));
      const whole = collect(samples, 100_000).stored;
      const cut = collect(samples, maxOpen).stored;
      const round = (ms: readonly { means: { COD?: number } }[]) => ms.map((m) => ({ ...m, means: { COD: Math.round((m.means.COD ?? NaN) * 1e9) } }));
      expect(round(dailyMeans(cut))).toEqual(round(dailyMeans(whole)));
      expect(round(monthlyMeans(dailyMeans(cut)))).toEqual(round(monthlyMeans(dailyMeans(whole))));
      expect(cut.reduce((n, p) => n + p.samples, 0)).toBe(samples.length);
    }), { seed: 4, numRuns: 200 });
  });
});

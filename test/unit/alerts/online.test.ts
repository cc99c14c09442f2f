/**
 * Online readings (README, "Silent stations"): an HJ 212 packet is one by nature; a file's reading is
 * one when its series has another reading at most the gap (6 h) away — a station export, not a
 * manual visit. The alert state records them as intervals; the watchdog asks for the latest one.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { latestOnline, noteOnline } from '../../../shared/alerts/online.js';
import { emptyState } from '../../../shared/alerts/site-state.js';
import { ALERT_MAX_ONLINE_INTERVALS } from '../../../shared/limits.js';

const cfg = DEFAULT_ALERT_CONFIG;
const H = 3_600_000;
const hj = 'hj212:hour';
const file = 'file:export.csv';

/** The online intervals (in hours) after noting `times` (in hours) of one series. */
function online(key: string, hours: number[], prior?: { first?: number; watermark: number }, before?: [number, number][]) {
  const state = emptyState();
  if (before) state.online = before.map(([a, b]) => [a * H, b * H]);
  const series = prior ? { watermark: prior.watermark * H, ...(prior.first !== undefined ? { first: prior.first * H } : {}), flat: {} } : undefined;
  noteOnline(state, key, series, hours.map((h) => h * H), cfg);
  return state.online?.map(([a, b]) => [a / H, b / H]);
}

describe('noteOnline', () => {
  it('a single HJ 212 packet is an online reading; a single row of a file is not', () => {
    expect(online(hj, [5])).toEqual([[5, 5]]);
    expect(online(file, [5])).toBeUndefined();
  });

  it('a file\'s readings at most the gap apart are one online stretch; further apart, lone readings are not online', () => {
    expect(online(file, [0, 6])).toEqual([[0, 6]]); // exactly the gap
    expect(online(file, [0, 6.5])).toBeUndefined();
    expect(online(file, [6, 0, 3])).toEqual([[0, 6]]); // any order
    expect(online(file, [0, 1, 20, 21, 50])).toEqual([[0, 1], [20, 21]]);
  });

  it('separate runs of HJ 212 packets are separate stretches, each packet online', () => {
    expect(online(hj, [0, 1, 20, 40])).toEqual([[0, 1], [20, 20], [40, 40]]);
  });

  it('a batch pairs with the series\' readings before it: its first and its latest', () => {
    // one new row 2 h after the series' latest (hour 10): online from 10 to 12
    expect(online(file, [12], { first: 0, watermark: 10 })).toEqual([[10, 12]]);
    // one new row 2 h before the series' first (hour 10)
    expect(online(file, [8], { first: 10, watermark: 10 })).toEqual([[8, 10]]);
    // a series that has no reading yet (watermark −∞) pairs with nothing
    expect(online(file, [12], { watermark: -Infinity })).toBeUndefined();
    expect(online(hj, [12], { watermark: -Infinity })).toEqual([[12, 12]]);
    expect(online(file, [12], { watermark: 2 })).toBeUndefined();
  });

  it('adds to what the state recorded, merging stretches at most the gap apart', () => {
    expect(online(hj, [9], undefined, [[0, 5]])).toEqual([[0, 9]]);
    expect(online(hj, [11], undefined, [[0, 5]])).toEqual([[0, 11]]); // exactly the gap
    expect(online(hj, [11.5], undefined, [[0, 5]])).toEqual([[0, 5], [11.5, 11.5]]);
    // nothing online in this batch: the record stays as it was
    expect(online(file, [30], undefined, [[0, 5]])).toEqual([[0, 5]]);
  });

  it('nothing online and nothing recorded: the state gains no record at all', () => {
    const state = emptyState();
    noteOnline(state, file, undefined, [0], cfg);
    expect(state).toStrictEqual(emptyState());
    noteOnline(state, file, undefined, [], cfg);
    expect(state).toStrictEqual(emptyState());
  });

  it(`keeps the newest ${ALERT_MAX_ONLINE_INTERVALS} stretches`, () => {
    const packets = Array.from({ length: ALERT_MAX_ONLINE_INTERVALS + 2 }, (_, i) => i * 24);
    const record = online(hj, packets)!;
    expect(record).toHaveLength(ALERT_MAX_ONLINE_INTERVALS);
    expect(record[0]).toEqual([48, 48]);
    expect(record.at(-1)).toEqual([packets.at(-1), packets.at(-1)]);
  });
});

describe('latestOnline', () => {
  it('nothing recorded: nothing known', () => {
    expect(latestOnline(emptyState(), 100)).toEqual({ inside: false });
  });

  it('within a stretch the station was online; after it, the stretch\'s end is the latest online reading', () => {
    const state = { ...emptyState(), online: [[0, 5 * H], [20 * H, 22 * H]] as [number, number][] };
    expect(latestOnline(state, 4 * H)).toEqual({ inside: true });
    expect(latestOnline(state, 10 * H)).toEqual({ inside: false, end: 5 * H });
    expect(latestOnline(state, 30 * H)).toEqual({ inside: false, end: 22 * H });
  });
});

/**
 * What applySamples and takeLate keep in a site's alert state: series per HJ 212 data period or per
 * file, the late exceedances of each file until its digest (bounded), the newest series only, and
 * never a change to the state they were given.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { type SiteAlertState, applySamples, emptyState, takeLate } from '../../../shared/alerts/site-rules.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import { ALERT_MAX_LATE_FILES, ALERT_MAX_LATE_HITS, ALERT_MAX_SERIES } from '../../../shared/limits.js';
import { HOUR, T0, at, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;
const site = () => registry.resolve('sixinhe');
const apply = (state: SiteAlertState, samples: EvaluatedSample[]) => applySamples(state, site(), samples, cfg);
const inFile = (file: string, hour: number, values: Record<string, number>, extra = {}) => at('sixinhe', hour, values, {}, { source: { file, line: 2 }, ...extra });

describe('series', () => {
  it('one per HJ 212 data period and one per file; each knows its first and latest reading', () => {
    const { state } = apply(emptyState(), [
      inFile('a.csv', 3, { COD: 20 }), inFile('a.csv', 1, { COD: 20 }), inFile('b.csv', 2, { COD: 20 }),
      inFile('x.log', 5, { COD: 20 }, { interval: 'hour' }), inFile('y.log', 4, { COD: 20 }, { interval: 'hour' }), inFile('z.log', 9, { COD: 20 }, { interval: 'day' }),
    ]);
    expect(Object.keys(state.series).sort()).toEqual(['file:a.csv', 'file:b.csv', 'hj212:day', 'hj212:hour']);
    expect(state.series['file:a.csv']).toMatchObject({ first: T0 + HOUR, watermark: T0 + 3 * HOUR });
    expect(state.series['hj212:hour']).toMatchObject({ first: T0 + 4 * HOUR, watermark: T0 + 5 * HOUR });
  });

  it('a reading earlier than its series\' latest moves the first back and is not judged for suspect data again', () => {
    const first = apply(emptyState(), [inFile('a.csv', 5, { COD: 20 }), inFile('a.csv', 20, { COD: 20 })]);
    expect(first.events).toEqual([]); // one step of 15 h shows no cadence: no gap
    const earlier = apply(first.state, [inFile('a.csv', 2, { COD: 20 })]);
    expect(earlier.state.series['file:a.csv']).toMatchObject({ first: T0 + 2 * HOUR, watermark: T0 + 20 * HOUR, lastValidAt: T0 + 20 * HOUR });
  });

  it(`keeps the ${ALERT_MAX_SERIES} series with the latest readings`, () => {
    const samples = Array.from({ length: ALERT_MAX_SERIES + 2 }, (_, i) => inFile(`f${i}.csv`, i, { COD: 20 }));
    const { state } = apply(emptyState(), samples);
    expect(Object.keys(state.series).sort()).toEqual(Array.from({ length: ALERT_MAX_SERIES }, (_, i) => `file:f${i + 2}.csv`).sort());
    const exactly = apply(emptyState(), samples.slice(0, ALERT_MAX_SERIES));
    expect(Object.keys(exactly.state.series)).toHaveLength(ALERT_MAX_SERIES);
  });

  it('the series kept are those with the latest readings, whatever order their files came in; one short of the bound, all are kept', () => {
    const newestFirst = Array.from({ length: ALERT_MAX_SERIES + 2 }, (_, i) => inFile(`f${i}.csv`, ALERT_MAX_SERIES + 2 - i, { COD: 20 }));
    let state = emptyState();
    for (const s of newestFirst) state = apply(state, [s]).state;
    expect(Object.keys(state.series).sort()).toEqual(Array.from({ length: ALERT_MAX_SERIES }, (_, i) => `file:f${i}.csv`).sort());
    const short = apply(emptyState(), newestFirst.slice(0, ALERT_MAX_SERIES - 1));
    expect(Object.keys(short.state.series)).toHaveLength(ALERT_MAX_SERIES - 1);
  });

  it('the state given is never changed', () => {
    const prior = apply(emptyState(), [inFile('a.csv', 0, { COD: 36 }), inFile('a.csv', 1, { COD: 36 })]).state;
    const copy = structuredClone(prior);
    apply(prior, [inFile('a.csv', 2, { COD: 20 }), inFile('old.csv', 0, { COD: 40 })]);
    expect(prior).toEqual(copy);
  });

  it('readings in any order are judged in time order', () => {
    const events = apply(emptyState(), [inFile('a.csv', 2, { COD: 20 }), inFile('a.csv', 0, { COD: 36 }), inFile('a.csv', 1, { COD: 20 }), inFile('a.csv', 3, { COD: 20 })]).events;
    expect(events.map((e) => `${e.kind}@${'time' in e ? (e.time - T0) / HOUR : ''}`)).toEqual(['exceedance@0', 'recovery@3']);
  });
});

describe('late exceedances', () => {
  /** A state whose latest judged reading of COD is at hour 100. */
  const judged = () => apply(emptyState(), [inFile('now.csv', 100, { COD: 20 })]).state;

  it('are kept per file until the file is finished; then one digest, the hits by time, and the file forgotten', () => {
    let { state, events } = apply(judged(), [inFile('a.csv', 7, { COD: 36 }), inFile('b.csv', 5, { COD: 37 }), inFile('a.csv', 3, { COD: 38 })]);
    expect(events).toEqual([]);
    expect(Object.keys(state.late!)).toEqual(['a.csv', 'b.csv']);
    const taken = takeLate(state, 'sixinhe', 'a.csv');
    expect(taken.events).toEqual([{ kind: 'late-exceedance', site: 'sixinhe', file: 'a.csv', more: 0, hits: [expect.objectContaining({ time: T0 + 3 * HOUR, value: 38 }), expect.objectContaining({ time: T0 + 7 * HOUR, value: 36 })] }]);
    expect(Object.keys(taken.state.late!)).toEqual(['b.csv']);
    state = taken.state;
    const last = takeLate(state, 'sixinhe', 'b.csv');
    expect(last.events).toHaveLength(1);
    expect(last.state).not.toHaveProperty('late');
    expect(last.state.series).toEqual(state.series);
  });

  it('hits that came in separate batches are listed by time, and the state read is left as it was', () => {
    const first = apply(judged(), [inFile('a.csv', 7, { COD: 36 })]).state;
    const state = apply(first, [inFile('a.csv', 3, { COD: 38 })]).state;
    const copy = structuredClone(state);
    const taken = takeLate(state, 'sixinhe', 'a.csv');
    expect(taken.events[0]).toMatchObject({ hits: [{ time: T0 + 3 * HOUR, value: 38 }, { time: T0 + 7 * HOUR, value: 36 }] });
    expect(state).toEqual(copy);
  });

  it('a file without late exceedances finishes with no digest and the state as it was', () => {
    const state = judged();
    expect(takeLate(state, 'sixinhe', 'a.csv')).toEqual({ state, events: [] });
    const withOther = apply(state, [inFile('b.csv', 5, { COD: 37 })]).state;
    expect(takeLate(withOther, 'sixinhe', 'a.csv').state).toBe(withOther);
  });

  it(`a file keeps at most ${ALERT_MAX_LATE_HITS} hits and counts the rest, across its chunks`, () => {
    /** `n` exceeding readings, each in an hour of its own, before anything judged. */
    const hourly = (from: number, n: number) => Array.from({ length: n }, (_, i) => inFile('a.csv', -(from + i) - 1, { COD: 36 }));
    let state = apply(judged(), hourly(0, ALERT_MAX_LATE_HITS - 10)).state;
    expect(state.late!['a.csv']).toMatchObject({ more: 0 });
    state = apply(state, hourly(ALERT_MAX_LATE_HITS - 10, 25)).state;
    expect(state.late!['a.csv']!.hits).toHaveLength(ALERT_MAX_LATE_HITS);
    expect(state.late!['a.csv']!.more).toBe(15);
    state = apply(state, hourly(ALERT_MAX_LATE_HITS + 15, 5)).state;
    expect(state.late!['a.csv']!.more).toBe(20);
    expect(takeLate(state, 'sixinhe', 'a.csv').events[0]).toMatchObject({ more: 20 });
  });

  it(`at most ${ALERT_MAX_LATE_FILES} files wait for their digest: the oldest are dropped`, () => {
    let state = judged();
    for (let i = 0; i < ALERT_MAX_LATE_FILES + 2; i++) state = apply(state, [inFile(`f${i}.csv`, i, { COD: 36 })]).state;
    expect(Object.keys(state.late!)).toEqual(Array.from({ length: ALERT_MAX_LATE_FILES }, (_, i) => `f${i + 2}.csv`));
  });
});

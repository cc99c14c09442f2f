/**
 * Compliance episodes in detail (compliance.ts): what opens, worsens, reminds and closes an
 * episode, what each exceedance item carries, and what a late reading reports. 四新河出境断面 is a
 * river section with target IV: COD 30 (V 40), NH3-N 1.5 (V 2.0), CODMn 10 (V 15) mg/L.
 */
import { describe, expect, it } from 'vitest';
import { type AlertConfig, DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import type { ExceedanceItem } from '../../../shared/alerts/events.js';
import { type AlertEvent, type SiteAlertState, applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import { HOUR, T0, at, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;
const site = () => registry.resolve('sixinhe');
type Exceedance = Extract<AlertEvent, { kind: 'exceedance' }>;

/** Applies the readings one batch at a time; returns the final state and every event. */
function run(batches: EvaluatedSample[][], config: AlertConfig = cfg, state: SiteAlertState = emptyState()) {
  const events: AlertEvent[] = [];
  for (const b of batches) {
    const r = applySamples(state, site(), b, config);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}
/** Hourly readings of one indicator, by hour. */
const series = (param: string, values: Record<number, number>) => Object.entries(values).map(([h, v]) => at('sixinhe', Number(h), { [param]: v }));
const exceedances = (events: AlertEvent[]) => events.filter((e): e is Exceedance => e.kind === 'exceedance');
/** Each exceedance event as hour → the phases of its items. */
const phases = (events: AlertEvent[]) => exceedances(events).map((e) => `${(e.time - T0) / HOUR}:${e.items.map((i) => `${i.exceedance.param}-${i.phase}`).join(',')}`);
const recoveries = (events: AlertEvent[]) => events.filter((e) => e.kind === 'recovery').map((e) => (e.time - T0) / HOUR);

describe('opening an episode', () => {
  it('the first exceedance opens it: the item names the value, the limit, the multiple, the indicator\'s class, since now and the recent values', () => {
    const { events, state } = run([series('COD', { 0: 20, 1: 22, 2: 36 })]);
    const [e] = exceedances(events);
    expect(e).toEqual({
      kind: 'exceedance', site: 'sixinhe', time: T0 + 2 * HOUR, grade: 'V',
      items: [{ exceedance: expect.objectContaining({ param: 'COD', value: 36, limit: 30 }), cls: 'V', phase: 'opened', since: T0 + 2 * HOUR, trend: [[T0, 20], [T0 + HOUR, 22], [T0 + 2 * HOUR, 36]] }],
    });
    expect(e!.items[0]!.exceedance.multiple).toBeCloseTo(0.2, 12);
    expect(state.episodes.COD).toMatchObject({ open: true, openedAt: T0 + 2 * HOUR, lastNoticeAt: T0 + 2 * HOUR, band: 0, cls: 'V', streak: 0, value: 36, limit: 30 });
  });

  it('the recent values are the last six readings of the indicator, oldest first', () => {
    const values = Object.fromEntries(Array.from({ length: 9 }, (_, h) => [h, 20 + h])) as Record<number, number>;
    const { events } = run([series('COD', { ...values, 9: 36 })]);
    expect(exceedances(events)[0]!.items[0]!.trend.map(([, v]) => v)).toEqual([24, 25, 26, 27, 28, 36]);
  });

  it('an indicator with a flag other than N neither opens an episode nor counts as a reading', () => {
    const flagged = at('sixinhe', 0, { COD: 36, NH3N: 2.4 }, { NH3N: 'D' });
    const { events, state } = run([[flagged]]);
    expect(phases(events)).toEqual(['0:COD-opened']);
    expect(state.trackers.NH3N).toBeUndefined();
    expect(state.episodes.NH3N).toBeUndefined();
  });

  it('a sample within target creates no episode', () => {
    const { state, events } = run([series('COD', { 0: 20, 1: 29.9 })]);
    expect(events).toEqual([]);
    expect(state.episodes).toEqual({});
  });
});

describe('an open episode', () => {
  it('worse at once when the multiple reaches the next band, not when it rises within a band', () => {
    // CODMn over 10, every value Class V (≤ 15): 11.9 → 0.19, 12 → 0.2, 13.9 → 0.39, 14 → 0.4
    const { events } = run([series('CODMn', { 0: 11, 1: 11.9, 2: 12, 3: 13.9, 4: 14 })], { ...cfg, multipleBands: [0.2, 0.4] });
    expect(phases(events)).toEqual(['0:CODMn-opened', '2:CODMn-worse', '4:CODMn-worse']);
    // the shipped bands start at 0.5: CODMn 15 is still Class V, and worse
    expect(phases(run([series('CODMn', { 0: 11, 1: 14.9, 2: 15 })]).events)).toEqual(['0:CODMn-opened', '2:CODMn-worse']);
  });

  it('worse at once when the indicator moves into 劣V, within the same band', () => {
    // COD 36 (V, 0.2) → 41 (劣V, 0.37): the same band, a worse class
    const { events } = run([series('COD', { 0: 36, 1: 41, 2: 42 })]);
    expect(phases(events)).toEqual(['0:COD-opened', '1:COD-worse']);
  });

  it('falling back within the episode and rising again is no news: the worst band and class are remembered', () => {
    const values: [number, number][] = [[11, 36], [12.5, 41], [11, 36], [12.8, 41]]; // CODMn band 0 → 1 → 0 → 1; COD V → 劣V → V → 劣V
    const { events, state } = run([values.map(([codmn, cod], h) => at('sixinhe', h, { CODMn: codmn, COD: cod }))], { ...cfg, multipleBands: [0.2] });
    expect(phases(events)).toEqual(['0:COD-opened,CODMn-opened', '1:COD-worse,CODMn-worse']);
    expect(state.episodes.CODMn).toMatchObject({ band: 1, cls: 'V', value: 12.8 });
    expect(state.episodes.COD).toMatchObject({ band: 1, cls: '劣V', value: 41 }); // COD 36 is 0.2 over: band 1 throughout
  });

  it('a state written before classes were kept takes the class of the next exceedance', () => {
    const { state } = run([series('COD', { 0: 36 })]);
    delete state.episodes.COD!.cls;
    const next = run([series('COD', { 1: 37 })], cfg, state);
    expect(next.state.episodes.COD!.cls).toBe('V');
    expect(phases(next.events)).toEqual([]);
  });

  it('a reminder when reminderHours have passed since the last notice, exactly then included', () => {
    const config = { ...cfg, reminderHours: 3 };
    const { events } = run([series('COD', { 0: 36, 1: 36, 2: 37, 3: 36, 4: 37, 5: 36, 6: 37 })], config);
    expect(phases(events)).toEqual(['0:COD-opened', '3:COD-reminder', '6:COD-reminder']);
  });

  it('an indicator named beside news has been told: its next reminder counts from then', () => {
    const config = { ...cfg, reminderHours: 3 };
    const { events } = run([[
      at('sixinhe', 0, { COD: 36, NH3N: 1 }), at('sixinhe', 2, { COD: 36, NH3N: 1.6 }),
      at('sixinhe', 3, { COD: 36, NH3N: 1.6 }), at('sixinhe', 4, { COD: 36, NH3N: 1.6 }), at('sixinhe', 5, { COD: 36, NH3N: 1.6 }),
    ]], config);
    // COD opened at 0, named at 2 beside NH3-N's opening: its reminder is due at 5, not 3
    expect(phases(events)).toEqual(['0:COD-opened', '2:COD-ongoing,NH3N-opened', '5:COD-reminder,NH3N-reminder']);
  });

  it('items worst first: critical before warning, then the worse class, then the larger multiple', () => {
    const { events } = run([[at('sixinhe', 0, { COD: 36, CODMn: 14, NH3N: 2.4, DO: 2.5 })]]);
    const [e] = exceedances(events);
    expect(e!.items.map((i: ExceedanceItem) => i.exceedance.param)).toEqual(['NH3N', 'CODMn', 'COD', 'DO']);
  });
});

describe('closing an episode', () => {
  it('after recoveryStreak compliant readings in a row; an exceedance in between starts the count again', () => {
    const { events, state } = run([series('COD', { 0: 36, 1: 20, 2: 20, 3: 36, 4: 20, 5: 20, 6: 21 })]);
    expect(recoveries(events)).toEqual([6]);
    expect(events.find((e) => e.kind === 'recovery')).toEqual({ kind: 'recovery', site: 'sixinhe', time: T0 + 6 * HOUR, items: [{ param: 'COD', since: T0, value: 21, limit: 30 }] });
    expect(state.episodes.COD).toMatchObject({ open: false, closedAt: T0 + 6 * HOUR });
  });

  it('a streak of one closes at once when so configured; the next exceedance opens a new episode', () => {
    const { events } = run([series('COD', { 0: 36, 1: 20, 2: 36 })], { ...cfg, recoveryStreak: 1 });
    expect(recoveries(events)).toEqual([1]);
    expect(phases(events)).toEqual(['0:COD-opened', '2:COD-opened']);
  });

  it('the indicators of one reading that recover together are one recovery event', () => {
    const { events } = run([[at('sixinhe', 0, { COD: 36, NH3N: 1.8 }), ...[1, 2, 3].map((h) => at('sixinhe', h, { COD: 20, NH3N: 1 }))]]);
    expect(events.filter((e) => e.kind === 'recovery')).toEqual([{
      kind: 'recovery', site: 'sixinhe', time: T0 + 3 * HOUR,
      items: [{ param: 'COD', since: T0, value: 20, limit: 30 }, { param: 'NH3N', since: T0, value: 1, limit: 1.5 }],
    }]);
  });
});

describe('late readings', () => {
  it('a reading no later than the latest judged drives no episode; its exceedance is kept for the file\'s digest', () => {
    const first = run([series('COD', { 10: 20 })]);
    const late = run([[at('sixinhe', 5, { COD: 36, NH3N: 1 }, {}, { source: { file: 'late.csv', line: 2 } })]], cfg, first.state);
    expect(late.events).toEqual([]);
    expect(late.state.episodes).toEqual({});
    expect(late.state.late).toEqual({ 'late.csv': { hits: [{ time: T0 + 5 * HOUR, param: 'COD', value: 36, limit: 30, multiple: expect.closeTo(0.2, 12), cls: 'V' }], more: 0 } });
  });

  it('a reading at the very time last judged is late too', () => {
    const first = run([series('COD', { 10: 20 })]);
    const again = run([[at('sixinhe', 10, { COD: 36 }, {}, { source: { file: 'again.csv', line: 2 } })]], cfg, first.state);
    expect(again.events).toEqual([]);
    expect(Object.keys(again.state.late ?? {})).toEqual(['again.csv']);
  });

  it('an hour whose exceedance was reported stays silent, whatever minute a later file gives it', () => {
    const first = run([[at('sixinhe', 10, { COD: 36 }), at('sixinhe', 11, { COD: 36 })]]);
    const halfPast = at('sixinhe', 10.5, { COD: 38 }, {}, { source: { file: 'late.csv', line: 2 } });
    expect(run([[halfPast]], cfg, first.state).state.late).toBeUndefined();
    // the hour before was never reported: it is
    const nine = at('sixinhe', 9.5, { COD: 38 }, {}, { source: { file: 'late.csv', line: 2 } });
    expect(run([[nine]], cfg, first.state).state.late?.['late.csv']?.hits.map((h) => h.time)).toEqual([T0 + 9.5 * HOUR]);
  });

  it('a late reading within target reports nothing', () => {
    const first = run([series('COD', { 10: 20 })]);
    expect(run([series('COD', { 5: 20 })], cfg, first.state).state.late).toBeUndefined();
  });
});

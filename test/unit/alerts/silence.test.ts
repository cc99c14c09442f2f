/**
 * The watchdog's silence rule: an online station that has sent nothing for longer than the gap
 * (6 h by default, config.ts) is announced while still silent, reminded every 24 h, and forgotten
 * when data returns. Only N-flagged data counts as valid (docs/domain.md#data-flags), but any data at all
 * shows the station is alive, which is what the watchdog asks.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { notificationFor } from '../../../shared/alerts/messages.js';
import { checkSilence } from '../../../shared/alerts/silence.js';
import { emptyState } from '../../../shared/alerts/site-rules.js';
import { SMS_MAX_CHARS } from '../../../shared/limits.js';
import { watchStations } from '../../../shared/alerts/watchdog.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import type { StoredSample } from '../../../shared/ports/index.js';
import { HOUR, T0, alertRig, at, hours, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;
const normal = (h: number) => ({ NH3N: 0.5 + (h % 7) / 100, COD: 18 + (h % 5), pH: 7.4 + (h % 3) / 10 });

describe('checkSilence', () => {
  it('says nothing while the latest sample is within the gap, or when a station never reported', () => {
    expect(checkSilence(emptyState(), 'sixinhe', T0, T0 + 6 * HOUR, cfg).events).toEqual([]);
    expect(checkSilence(emptyState(), 'sixinhe', undefined, T0 + 100 * HOUR, cfg).events).toEqual([]);
  });

  it('announces a station silent beyond the gap once, then reminds every 24 h while it stays silent', () => {
    const first = checkSilence(emptyState(), 'sixinhe', T0, T0 + 7 * HOUR, cfg);
    expect(first.events).toEqual([{ kind: 'suspect-data', problem: 'silent', site: 'sixinhe', time: T0 + 7 * HOUR, from: T0, reminder: false }]);
    expect(checkSilence(first.state, 'sixinhe', T0, T0 + 8 * HOUR, cfg).events).toEqual([]);
    expect(checkSilence(first.state, 'sixinhe', T0, T0 + 30 * HOUR, cfg).events).toEqual([]);
    const reminder = checkSilence(first.state, 'sixinhe', T0, T0 + 31 * HOUR, cfg);
    expect(reminder.events).toEqual([expect.objectContaining({ problem: 'silent', reminder: true, from: T0 })]);
  });

  it('forgets the silence when data returns, and announces a later silence afresh', () => {
    const silent = checkSilence(emptyState(), 'sixinhe', T0, T0 + 7 * HOUR, cfg).state;
    const back = checkSilence(silent, 'sixinhe', T0 + 8 * HOUR, T0 + 9 * HOUR, cfg);
    expect(back.events).toEqual([]);
    expect(back.state.silence).toBeUndefined();
    const again = checkSilence(back.state, 'sixinhe', T0 + 8 * HOUR, T0 + 20 * HOUR, cfg);
    expect(again.events).toEqual([expect.objectContaining({ reminder: false, from: T0 + 8 * HOUR })]);
  });

  it('a silence ended by data and begun again before the watchdog ran is a new silence, not a reminder', () => {
    const silent = checkSilence(emptyState(), 'sixinhe', T0, T0 + 7 * HOUR, cfg).state;
    const next = checkSilence(silent, 'sixinhe', T0 + 10 * HOUR, T0 + 17 * HOUR, cfg);
    expect(next.events).toEqual([expect.objectContaining({ reminder: false, from: T0 + 10 * HOUR })]);
  });

  it('reads as an operations notice naming the station, the last data and the hours, in one SMS segment', () => {
    const [event] = checkSilence(emptyState(), 'hanhai-stp', T0, T0 + 7 * HOUR, cfg).events;
    const n = notificationFor(event!, registry.resolve('hanhai-stp'));
    expect(n.topic).toBe('operations');
    expect(n.attributes).toMatchObject({ kind: 'suspect-data', site: 'hanhai-stp' });
    expect(n.sms).toMatch(/高新瀚海污水处理厂出水.*7小时无数据/);
    expect([...n.sms].length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(n.email).toMatch(/2023-07-01 00:00/);
  });
});

describe('watchStations', () => {
  /** A sample store over the given samples (the watchdog reads the last hours of one when a station is online). */
  const store = (all: readonly EvaluatedSample[]) => ({
    async *querySite(site: string, from?: number, to?: number) {
      for (const x of [...all].sort((a, b) => a.sample.time - b.sample.time)) {
        if (x.sample.site === site && (from === undefined || x.sample.time >= from) && (to === undefined || x.sample.time <= to)) yield { sample: x.sample } as StoredSample;
      }
    },
  });
  const watch = (rig: ReturnType<typeof alertRig>, all: readonly EvaluatedSample[], now: number) =>
    watchStations({ registry, samples: store(all), engine: rig.engine, notifier: rig.notifier, config: cfg }, now);

  it('checks every online station (those with an MN) and announces each silent one once', async () => {
    const rig = alertRig();
    const data = [...hours('zhaoniuhe', -5, 6, normal), ...hours('xiaomeihe', 0, 6, normal), ...hours('hanhai-stp', -5, 6, normal)];
    await rig.engine.onStored(data); // at ingest, the rules record each station's online readings
    const status = await watch(rig, data, T0 + 8 * HOUR);
    expect(status.map((s) => s.site).sort()).toEqual(registry.sites.filter((s) => s.mn.length > 0).map((s) => s.id).sort());
    expect(rig.publisher.sent.map((n) => n.attributes.site).sort()).toEqual(['hanhai-stp', 'zhaoniuhe']);
    expect(status.filter((s) => s.silent).map((s) => s.site).sort()).toEqual(['hanhai-stp', 'zhaoniuhe']);
    expect(status.find((s) => s.site === 'xiaomeihe')).toMatchObject({ latest: T0 + 5 * HOUR, silent: false });
    await watch(rig, data, T0 + 9 * HOUR);
    expect(rig.publisher.sent).toHaveLength(2);
  });

  it('ignores readings after the time judged: the latest reading before it, never a negative age', async () => {
    const rig = alertRig();
    const data = [...hours('zhaoniuhe', 0, 6, normal), ...hours('zhaoniuhe', 20, 10, normal)];
    await rig.engine.onStored(data);
    const [zhaoniuhe] = (await watch(rig, data, T0 + 15 * HOUR)).filter((s) => s.site === 'zhaoniuhe');
    expect(zhaoniuhe).toEqual({ site: 'zhaoniuhe', latest: T0 + 5 * HOUR, silent: true });
    const silences = rig.publisher.sent.filter((n) => /无数据/.test(n.sms)); // (the gap 5 → 20 h is its own notice)
    expect(silences.map((n) => n.sms)).toEqual([expect.stringMatching(/赵牛河断面在线监测自7月1日05时起已10小时无数据/)]);
  });

  it('judges an online station by its online readings: a manual sample does not make it look alive', async () => {
    const rig = alertRig();
    const station = hours('zhaoniuhe', 0, 6, normal, { source: { file: '赵牛河断面-2023-07.csv', line: 2 } });
    const manual = [at('zhaoniuhe', 14, normal(14), {}, { source: { file: '人工监测-2023-07.csv', line: 2 } })];
    await rig.engine.onStored(station);
    await rig.engine.onStored(manual);
    const [zhaoniuhe] = (await watch(rig, [...station, ...manual], T0 + 15 * HOUR)).filter((s) => s.site === 'zhaoniuhe');
    expect(zhaoniuhe).toEqual({ site: 'zhaoniuhe', latest: T0 + 5 * HOUR, silent: true });
    // a single HJ 212 packet is an online reading by nature
    const packet = [at('zhaoniuhe', 15, normal(15), {}, { interval: 'hour', source: { file: 'x.log', line: 1 } })];
    await rig.engine.onStored(packet);
    const [back] = (await watch(rig, [...station, ...manual, ...packet], T0 + 16 * HOUR)).filter((s) => s.site === 'zhaoniuhe');
    expect(back).toEqual({ site: 'zhaoniuhe', latest: T0 + 15 * HOUR, silent: false });
  });

  it('says how long in days beyond 48 hours', async () => {
    const [event] = checkSilence(emptyState(), 'zhaoniuhe', T0, T0 + (3 * 24 + 5) * HOUR, cfg).events;
    const n = notificationFor(event!, registry.resolve('zhaoniuhe'));
    expect(n.sms).toMatch(/已3天无数据/);
    expect(n.email).toMatch(/已 3天没有收到数据/);
    const [recent] = checkSilence(emptyState(), 'zhaoniuhe', T0, T0 + 48 * HOUR, cfg).events;
    expect(notificationFor(recent!, registry.resolve('zhaoniuhe')).sms).toMatch(/已48小时无数据/);
  });
});

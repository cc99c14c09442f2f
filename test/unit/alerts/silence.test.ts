/**
 * The watchdog's silence rule: an online station that has sent nothing for longer than the gap
 * (6 h by default, config.ts) is announced while still silent, reminded every 24 h, and forgotten
 * when data returns. Only N-flagged data counts as valid (docs/domain.md#data-flags), but any data at all
 * shows the station is alive, which is what the watchdog asks.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { AlertEngine } from '../../../shared/alerts/engine.js';
import { notificationFor } from '../../../shared/alerts/messages.js';
import { checkSilence } from '../../../shared/alerts/silence.js';
import { emptyState } from '../../../shared/alerts/site-rules.js';
import { SMS_MAX_CHARS } from '../../../shared/alerts/sms.js';
import { watchStations } from '../../../shared/alerts/watchdog.js';
import type { StoredSample } from '../../../shared/ports/index.js';
import { MemoryDays, MemoryPublisher, MemoryStateStore } from '../../helpers/memory-stores.js';
import { HOUR, T0, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;

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
  it('checks every online station (those with an MN) and announces each silent one once', async () => {
    const publisher = new MemoryPublisher();
    const states = new MemoryStateStore();
    const engine = new AlertEngine({ states, publisher, registry, samples: new MemoryDays() });
    const latest: Record<string, number> = { zhaoniuhe: T0, xiaomeihe: T0 + 5 * HOUR, 'hanhai-stp': T0 };
    const samples = { latest: async (site: string) => (latest[site] === undefined ? undefined : { sample: { time: latest[site] } } as StoredSample) };
    const status = await watchStations({ registry, samples, engine }, T0 + 8 * HOUR);
    expect(status.map((s) => s.site).sort()).toEqual(registry.sites.filter((s) => s.mn.length > 0).map((s) => s.id).sort());
    expect(publisher.sent.map((n) => n.attributes.site).sort()).toEqual(['hanhai-stp', 'zhaoniuhe']);
    expect(status.filter((s) => s.silent).map((s) => s.site).sort()).toEqual(['hanhai-stp', 'zhaoniuhe']);
    await watchStations({ registry, samples, engine }, T0 + 9 * HOUR);
    expect(publisher.sent).toHaveLength(2);
  });
});

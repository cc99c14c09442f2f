/**
 * Which month a run reports: the supervision function's event (on demand, or the schedule's time →
 * the month before, in Asia/Shanghai), and the latest complete month `bishui start` makes the bulletin of.
 */
import { describe, expect, it } from 'vitest';
import { monthOfEvent } from '../../../functions/supervision/event.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import { DEFAULT_ZONE } from '../../../shared/domain/time.js';
import type { StoredSample } from '../../../shared/ports/index.js';
import { latestCompleteMonth } from '../../../shared/supervision/latest-month.js';
import { shanghai } from '../../helpers/parse.js';

describe('the supervision event', () => {
  it('on demand: { month } as given', () => {
    expect(monthOfEvent({ month: '2023-07' }, DEFAULT_ZONE)).toBe('2023-07');
  });

  it('scheduled: the month before the one the schedule fired in, in the zone (not in UTC)', () => {
    // 09:00 on 2 August in Shanghai is 01:00 UTC
    expect(monthOfEvent({ scheduledTime: '2023-08-02T01:00:00Z' }, DEFAULT_ZONE)).toBe('2023-07');
    // 00:30 on 1 January in Shanghai is still December in UTC: the zone decides
    expect(monthOfEvent({ scheduledTime: '2022-12-31T16:30:00Z' }, DEFAULT_ZONE)).toBe('2022-12');
    expect(monthOfEvent({ scheduledTime: '2022-12-31T16:30:00Z' }, 'UTC')).toBe('2022-11');
    expect(monthOfEvent({ scheduledTime: '2024-03-02T09:00:00+08:00' }, DEFAULT_ZONE)).toBe('2024-02');
  });

  it('a bad event is one clear error naming the value and what is expected', () => {
    const expected = /expected \{"month":"YYYY-MM"\} \(on demand\) or \{"scheduledTime":"<ISO 8601 time>"\} \(the schedule\)/;
    expect(() => monthOfEvent({ month: '2023-13' }, DEFAULT_ZONE)).toThrow(/^supervision event is not valid: month: "2023-13" is not a month \(expected YYYY-MM, e\.g\. 2023-07\)/);
    expect(() => monthOfEvent({ month: '2023-13' }, DEFAULT_ZONE)).toThrow(expected);
    expect(() => monthOfEvent({ month: 202307 }, DEFAULT_ZONE)).toThrow(/month: /);
    expect(() => monthOfEvent({ month: '2023-07', extra: 1 }, DEFAULT_ZONE)).toThrow(/extra/);
    // control characters are shown escaped (as JSON writes them), never as themselves
    expect(() => monthOfEvent({ month: '\u0000\u001b[2J2023-07' }, DEFAULT_ZONE)).toThrow('month: "\\u0000\\u001b[2J2023-07" is not a month');
    expect(() => monthOfEvent({ month: `2023-07${'x'.repeat(5000)}` }, DEFAULT_ZONE)).toThrow(/^.{0,700}$/s);
    for (const bad of [{}, null, 'x', { scheduledTime: 'yesterday' }]) expect(() => monthOfEvent(bad, DEFAULT_ZONE)).toThrow(expected);
  });
});

describe('latestCompleteMonth', () => {
  const registry = SiteRegistry.parse({ sites: [{ id: 'a', name: '甲', kind: 'river-section' }, { id: 'b', name: '乙', kind: 'river-section' }] });
  const at = (local: string) => ({ sample: { time: shanghai(local) } }) as StoredSample;
  const store = (latest: Record<string, string>) => ({ latest: async (site: string) => (latest[site] ? at(latest[site]) : undefined) });

  it('the month of the newest sample of any registered site, read in the zone', async () => {
    expect(await latestCompleteMonth(store({ a: '2023-05-31 12:00', b: '2023-07-31 23:30' }), registry, shanghai('2025-01-10 00:00'))).toBe('2023-07');
  });
  it('never the month now running, nor a later one', async () => {
    expect(await latestCompleteMonth(store({ a: '2023-08-03 08:00' }), registry, shanghai('2023-08-05 00:00'))).toBe('2023-07');
    expect(await latestCompleteMonth(store({ a: '2099-01-01 08:00' }), registry, shanghai('2023-08-05 00:00'))).toBe('2023-07');
  });
  it('null without any data', async () => {
    expect(await latestCompleteMonth(store({}), registry, Date.now())).toBeNull();
  });
});

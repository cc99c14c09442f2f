/** Times as monitoring systems write them; naive local times are Asia/Shanghai (UTC+8). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IANAZone } from 'luxon';
import { formatInstant, offsetMinutes, parseTime } from '../../../shared/domain/time.js';

const at = (iso: string) => Date.parse(iso);

describe('parseTime', () => {
  it.each([
    ['2023/7/15 8:00', '2023-07-15T00:00:00Z'],
    ['2023-07-15 08:00:00', '2023-07-15T00:00:00Z'],
    ['20230715080000', '2023-07-15T00:00:00Z'],
    ['2023-07-15T08:00:00+08:00', '2023-07-15T00:00:00Z'],
    ['2023-07-15T00:00:00Z', '2023-07-15T00:00:00Z'],
    ['2023-07-15T02:00:00+0200', '2023-07-15T00:00:00Z'],
    ['2023-07-15', '2023-07-14T16:00:00Z'],
    ['2023年7月15日 8时', '2023-07-15T00:00:00Z'],
    ['2023.07.15 08:30', '2023-07-15T00:30:00Z'],
    ['2023-07-15 08', '2023-07-15T00:00:00Z'], // an hourly report's hour alone
    ['2023/7/15 8', '2023-07-15T00:00:00Z'],
    ['20230715', '2023-07-14T16:00:00Z'], // a compact date alone
    ['20230715 08:00', '2023-07-15T00:00:00Z'], // a compact date column beside a clock column
    ['202307150830', '2023-07-15T00:30:00Z'],
  ])('%s', (text, iso) => {
    expect(parseTime(text)).toBe(at(iso));
  });
  it.each(['abc', '2023-02-30 01:00', '2023-13-01', '15/07/2023', '', '2023-07-15 25', '2023-07-15 080', '2023071508', '20231315'])('rejects %j', (text) => {
    expect(parseTime(text)).toBeNull();
  });
  it('reads naive times in a configured zone', () => {
    expect(parseTime('2023-07-15 08:00', 'Europe/Berlin')).toBe(at('2023-07-15T06:00:00Z'));
  });
  it('reads the common forms (one space or T between date and clock) as the general parser does', () => {
    // Two spaces (or a space and a T) take the general, regular-expression path for the same time.
    const part = (max: number) => fc.record({ v: fc.integer({ min: 0, max }), pad: fc.boolean() }).map(({ v, pad }) => (pad ? String(v).padStart(2, '0') : String(v)));
    const text = fc.record({
      y: fc.integer({ min: 1899, max: 2101 }), mo: part(13), d: part(32), h: part(25), mi: part(61), s: fc.option(part(61)),
      sep1: fc.constantFrom('-', '/', '.'), sep2: fc.constantFrom('-', '/', '.'), t: fc.constantFrom(' ', 'T'),
    });
    fc.assert(fc.property(text, fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'), (x, zone) => {
      const date = `${x.y}${x.sep1}${x.mo}${x.sep2}${x.d}`;
      const clock = `${x.h}:${x.mi}${x.s === null ? '' : `:${x.s}`}`;
      expect(parseTime(`${date}${x.t}${clock}`, zone)).toBe(parseTime(`${date}${x.t === 'T' ? ' T' : '  '}${clock}`, zone));
      const valid = Number(x.mo) >= 1 && Number(x.mo) <= 12 && Number(x.d) >= 1 && Number(x.d) <= new Date(Date.UTC(x.y, Number(x.mo), 0)).getUTCDate();
      // Asia/Shanghai: UTC+8 without DST since 1992.
      const midnight = zone === 'Asia/Shanghai' && x.y >= 1992 ? Date.UTC(x.y, Number(x.mo) - 1, Number(x.d)) - 8 * 3_600_000 : undefined;
      if (midnight !== undefined) expect(parseTime(date, zone)).toBe(valid ? midnight : null);
    }), { seed: 20231129, numRuns: 2000 });
  });
});

describe('formatInstant', () => {
  it('prints ISO 8601 with +08:00', () => {
    expect(formatInstant(at('2023-07-15T00:00:00Z'))).toBe('2023-07-15T08:00:00+08:00');
    expect(formatInstant(at('2023-12-31T16:00:00.250Z'))).toBe('2024-01-01T00:00:00.250+08:00');
  });
});

describe('offsetMinutes', () => {
  const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Europe/London'];
  it('is the zone rule at every quarter hour of days the clocks change, and at random instants', () => {
    const changes = ['1986-05-04', '1991-09-15', '2023-03-12', '2023-03-26', '2023-10-01', '2023-10-29', '2023-11-05', '2024-04-07'];
    for (const zone of zones) {
      const rule = IANAZone.create(zone);
      for (const day of changes) {
        for (let t = Date.parse(`${day}T00:00:00Z`) - 86_400_000; t < Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000; t += 900_000) {
          expect(offsetMinutes(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(rule.offset(t));
        }
      }
    }
    fc.assert(fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 2_200_000_000_000 }), (zone, t) => {
      expect(offsetMinutes(t, zone)).toBe(IANAZone.create(zone).offset(t));
    }), { seed: 20231129, numRuns: 3000 });
  });
});

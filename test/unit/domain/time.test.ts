/** Times as monitoring systems write them; naive local times are Asia/Shanghai (UTC+8). */
import { describe, expect, it } from 'vitest';
import { formatInstant, parseTime } from '../../../shared/domain/time.js';

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
  ])('%s', (text, iso) => {
    expect(parseTime(text)).toBe(at(iso));
  });
  it.each(['abc', '2023-02-30 01:00', '2023-13-01', '15/07/2023', ''])('rejects %j', (text) => {
    expect(parseTime(text)).toBeNull();
  });
  it('reads naive times in a configured zone', () => {
    expect(parseTime('2023-07-15 08:00', 'Europe/Berlin')).toBe(at('2023-07-15T06:00:00Z'));
  });
});

describe('formatInstant', () => {
  it('prints ISO 8601 with +08:00', () => {
    expect(formatInstant(at('2023-07-15T00:00:00Z'))).toBe('2023-07-15T08:00:00+08:00');
    expect(formatInstant(at('2023-12-31T16:00:00.250Z'))).toBe('2024-01-01T00:00:00.250+08:00');
  });
});

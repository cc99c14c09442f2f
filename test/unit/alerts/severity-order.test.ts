/**
 * Severity and order (events.ts): critical only for an indicator in 劣V or at a multiple of 1 or
 * more; a message is as severe as its worst item; items worst first. And the words the messages
 * are built from (messages/text.ts) where the builders' own tests do not reach their edges.
 */
import { describe, expect, it } from 'vitest';
import { indicatorSeverity, worstFirst, worstSeverity } from '../../../shared/alerts/events.js';
import { durationText, limitText, siteLine, when } from '../../../shared/alerts/messages/text.js';
import type { Exceedance } from '../../../shared/domain/evaluate.js';
import { HOUR, T0, registry } from './helpers.js';

describe('severity', () => {
  it('of an indicator: critical in 劣V or at a multiple of 1 or more, else a warning', () => {
    expect(indicatorSeverity({ cls: '劣V', multiple: null })).toBe('critical');
    expect(indicatorSeverity({ cls: null, multiple: 1 })).toBe('critical');
    expect(indicatorSeverity({ cls: 'V', multiple: 0.999 })).toBe('warning');
    expect(indicatorSeverity({ cls: null, multiple: null })).toBe('warning');
  });

  it('of a message: its worst item; info when it has none', () => {
    expect(worstSeverity([])).toBe('info');
    expect(worstSeverity(['info', 'warning'])).toBe('warning');
    expect(worstSeverity(['warning', 'critical', 'info'])).toBe('critical');
    expect(worstSeverity(['critical', 'warning'])).toBe('critical');
  });
});

describe('worst first', () => {
  const sorted = (xs: { cls: '劣V' | 'V' | 'IV' | null; multiple: number | null }[]) => [...xs].sort(worstFirst).map((x) => `${x.cls}:${x.multiple}`);

  it('critical before warning, then the worse class, then the larger multiple, none last', () => {
    expect(sorted([
      { cls: 'V', multiple: 0.2 }, { cls: 'V', multiple: null }, { cls: 'IV', multiple: 0.5 }, { cls: null, multiple: 0.9 },
      { cls: 'V', multiple: 1.2 }, { cls: '劣V', multiple: 0.1 }, { cls: 'V', multiple: 0.3 },
    ])).toEqual(['劣V:0.1', 'V:1.2', 'V:0.3', 'V:0.2', 'V:null', 'IV:0.5', 'null:0.9']);
  });

  it('a breach of an effluent limit (no class) at twice its limit is critical and comes before a class-V warning', () => {
    expect(sorted([{ cls: 'V', multiple: 0.5 }, { cls: null, multiple: 1.5 }])).toEqual(['null:1.5', 'V:0.5']);
  });

  it('equals compare as equal', () => {
    expect(worstFirst({ cls: 'V', multiple: 0.2 }, { cls: 'V', multiple: 0.2 })).toBe(0);
    expect(worstFirst({ cls: null, multiple: null }, { cls: null, multiple: null })).toBe(0);
  });
});

describe('the words of a message', () => {
  it('a time: the hour, and the minutes when not on the hour', () => {
    expect(when(T0 + 8 * HOUR, 'Asia/Shanghai')).toBe('7月1日08时');
    expect(when(T0 + 8 * HOUR + 5 * 60_000, 'Asia/Shanghai')).toBe('7月1日08时05分');
  });

  it('a duration: whole hours up to 48, whole days beyond', () => {
    expect([47.9, 48, 49, 71.9, 72].map((h) => durationText(h * HOUR))).toEqual(['47小时', '48小时', '2天', '2天', '3天']);
  });

  it('a limit: the effluent limit when that is the one broken, else the target\'s', () => {
    const stp = registry.resolve('hanhai-stp');
    const tp = (limit: number): Exceedance => ({ param: 'TP', value: 0.5, limit, multiple: 0.5 }) as Exceedance;
    expect(limitText(tp(0.3), stp)).toBe('出水限值 0.3mg/L');
    expect(limitText(tp(0.2), stp)).toBe('IV类标准 0.2mg/L');
  });

  it('a registered site without a town: its id only', () => {
    const site = { ...registry.resolve('zhaoniuhe'), town: undefined };
    expect(siteLine(site as never)).toBe('站点：赵牛河断面（zhaoniuhe）');
  });
});

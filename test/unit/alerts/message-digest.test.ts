/**
 * A burst of notifications from one update (more than `digestAbove` for one site and topic) is one
 * digest per topic: the counts by kind, the span of time, every message one line in the email, and
 * the union of the attributes so that every subscription that would have matched one still matches.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import type { AnyEvent } from '../../../shared/alerts/events.js';
import { notificationsFor } from '../../../shared/alerts/messages.js';
import { HOUR, T0, registry } from './helpers.js';

const site = () => registry.resolve('zhaoniuhe');
const exceedance = (hour: number, param: string, cls: 'V' | '劣V', multiple: number): AnyEvent => ({
  kind: 'exceedance', site: 'zhaoniuhe', time: T0 + hour * HOUR, grade: cls,
  items: [{ exceedance: { param, value: 0.4, limit: 0.3, multiple } as never, cls, phase: 'opened', since: T0, trend: [] }],
});
const gap = (hour: number): AnyEvent => ({ kind: 'suspect-data', problem: 'gap', site: 'zhaoniuhe', time: T0 + hour * HOUR, from: T0 + (hour - 8) * HOUR });
/** One event of every alert kind, their times from 30 June 19:00 (the late reading) to 2 July 12:00 (the swing's day, at noon). */
const mixed = (): AnyEvent[] => [
  exceedance(1, 'NH3N', '劣V', 0.6), exceedance(5, 'TP', 'V', 0.33),
  { kind: 'recovery', site: 'zhaoniuhe', time: T0 + 9 * HOUR, items: [{ param: 'TP', since: T0, value: 0.2, limit: 0.3 }] },
  { kind: 'late-exceedance', site: 'zhaoniuhe', file: 'a.csv', more: 0, hits: [{ time: T0 - 5 * HOUR, param: 'DO', value: 2, limit: 3, multiple: null, cls: 'V' }] },
  {
    kind: 'fluctuation', site: 'zhaoniuhe', day: '2023-07-02', mainSeason: false, inWindow: true, cwqi: 7.3, baseline: 5.6, previous: 5.4, vsBaseline: 0.31,
    dayOnDay: 0.35, grade: 'V', previousGrade: 'IV', baselineGrade: 'IV', reasons: ['baseline'], drivers: [{ param: 'COD', from: 0.6, to: 1.1 }],
  },
  gap(17),
];

describe('a burst of notifications', () => {
  it('more than digestAbove for a topic: one digest of them, word for word; the other topic\'s stay as they are', () => {
    const notes = notificationsFor(mixed(), site(), undefined, { ...DEFAULT_ALERT_CONFIG, digestAbove: 4 });
    expect(notes.map((n) => n.topic)).toEqual(['alerts', 'operations']);
    const [digest, ops] = notes;
    expect(digest!.subject).toBe('【碧水】赵牛河断面 5 条告警汇总');
    expect(digest!.default).toBe('赵牛河断面 6月30日19时至7月2日12时共 5 条告警：超标2条、恢复1条、补报超标1条、水质波动1条。');
    expect(digest!.email).toBe([
      '【碧水】赵牛河断面 5 条告警汇总（6月30日19时至7月2日12时）', '',
      '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '同一批数据一次产生了 5 条通知（超标2条、恢复1条、补报超标1条、水质波动1条），合并为本邮件，按时间逐条列出：', '',
      '■ 赵牛河断面 7月1日01时 超标：氨氮0.4mg/L（劣V类，超标0.60倍）',
      '■ 赵牛河断面 7月1日05时 超标：总磷0.4mg/L（V类，超标0.33倍）',
      '■ 赵牛河断面 总磷已恢复达标：截至 2023-07-01 09:00 连续 3 次有效监测达标。',
      '■ 赵牛河断面 补报迟到数据超标：6月30日19时共 1个时次，溶解氧（文件 a.csv）。',
      '■ 赵牛河断面 7月2日汛期日均水质指数 7.3（较汛前基准+31%，较前一日+35%），主要拉高指标：化学需氧量（0.6→1.1）。',
    ].join('\n'));
    expect(digest!.sms).toBe('赵牛河断面6月30日19时至7月2日12时共5条：超标2条、恢复1条、补报超标1条、水质波动1条，详见邮件。');
    expect(digest!.attributes).toEqual({
      site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: ['exceedance', 'recovery', 'fluctuation'], severity: ['critical', 'warning', 'info'], param: ['NH3N', 'TP', 'DO', 'COD'],
    });
    expect(ops!.subject).toBe('【碧水】赵牛河断面 监测数据异常：数据中断');
  });

  it('exactly digestAbove for a topic are sent one by one; one more makes a digest', () => {
    const config = { ...DEFAULT_ALERT_CONFIG, digestAbove: 3 };
    const three = [gap(10), gap(20), gap(30)];
    expect(notificationsFor(three, site(), undefined, config).map((n) => n.subject)).toEqual(Array.from({ length: 3 }, () => '【碧水】赵牛河断面 监测数据异常：数据中断'));
    const four = notificationsFor([...three, gap(40)], site(), undefined, config);
    expect(four).toHaveLength(1);
    expect(four[0]).toMatchObject({ topic: 'operations', subject: '【碧水】赵牛河断面 4 条运维通知汇总', sms: '赵牛河断面7月1日10时至7月2日16时共4条：数据异常4条，详见邮件。' });
    expect(four[0]!.default).toBe('赵牛河断面 7月1日10时至7月2日16时共 4 条运维通知：数据异常4条。');
    expect(four[0]!.email.split('\n')[0]).toBe('【碧水】赵牛河断面 4 条运维通知汇总（7月1日10时至7月2日16时）');
    expect(four[0]!.attributes).toEqual({ site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: 'suspect-data', severity: 'warning', param: 'none' });
  });

  it('the shipped settings: ten of a kind one by one, eleven one digest', () => {
    expect(notificationsFor(Array.from({ length: 10 }, (_, i) => gap(10 * (i + 1))), site())).toHaveLength(10);
    expect(notificationsFor(Array.from({ length: 11 }, (_, i) => gap(10 * (i + 1))), site())).toHaveLength(1);
  });

});

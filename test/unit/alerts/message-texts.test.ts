/**
 * What each kind of message says, word for word: the subject, the one-line default, the email, the
 * SMS and the attributes subscriptions filter on — for an exceedance, a recovery, a late digest, a
 * flood-season swing and each suspect-data problem, at registered and unregistered stations.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import type { AlertEvent, ExceedanceItem } from '../../../shared/alerts/events.js';
import type { FluctuationEvent } from '../../../shared/alerts/flood-rule.js';
import { notificationFor } from '../../../shared/alerts/messages.js';
import { HOUR, T0, registry } from './helpers.js';

const MINUTE = 60_000;
const zhaoniuhe = () => registry.resolve('zhaoniuhe');
const sixinhe = () => registry.resolve('sixinhe');
const item = (param: string, value: number, limit: number, multiple: number | null, cls: ExceedanceItem['cls'], phase: ExceedanceItem['phase'], since: number, trend: [number, number][] = []): ExceedanceItem =>
  ({ exceedance: { param, value, limit, multiple } as ExceedanceItem['exceedance'], cls, phase, since, trend });
const exceedance = (site: string, time: number, grade: ExceedanceItem['cls'], items: ExceedanceItem[]): AlertEvent => ({ kind: 'exceedance', site, time, grade, items });

describe('an exceedance', () => {
  it('names every indicator with its phase, limit, own class, multiple and recent values; the SMS holds as many as fit', () => {
    const t = T0 + 10 * HOUR + 30 * MINUTE;
    const n = notificationFor(exceedance('sixinhe', t, '劣V', [
      item('NH3N', 2.4, 1.5, 0.6, '劣V', 'worse', T0 + 2 * HOUR, [[T0 + 9 * HOUR, 1.6], [t, 2.4]]),
      item('COD', 36, 30, 0.2, 'V', 'ongoing', T0, [[t, 36]]),
      item('pH', 9.4, 9, null, '劣V', 'opened', t, [[t, 9.4]]),
    ]), sixinhe());
    expect(n.topic).toBe('alerts');
    expect(n.subject).toBe('【碧水】四新河出境断面 氨氮、化学需氧量、pH值超标');
    expect(n.default).toBe('四新河出境断面 7月1日10时30分 超标：氨氮2.4mg/L（劣V类，超标0.60倍）、化学需氧量36mg/L（V类，超标0.20倍）、pH值9.4（劣V类）');
    expect(n.email).toBe([
      '【碧水】四新河出境断面 氨氮、化学需氧量、pH值超标',
      '',
      '站点：四新河出境断面（sixinhe，责任镇：四新河流域责任镇）',
      '监测时间：2023-07-01 10:30',
      '超标指标（3 项，按严重程度排列）：',
      '■ 氨氮（NH3N）：2.4mg/L，超标加重（自 2023-07-01 02:00 起）',
      '  限值：IV类标准 1.5mg/L；该指标水质类别：劣V类；超标倍数：0.60',
      '  近期变化：07-01 09:00 1.6，07-01 10:30 2.4（mg/L）',
      '■ 化学需氧量（COD）：36mg/L，仍超标（自 2023-07-01 00:00 起）',
      '  限值：IV类标准 30mg/L；该指标水质类别：V类；超标倍数：0.20',
      '  近期变化：07-01 10:30 36（mg/L）',
      '■ pH值（pH）：9.4，新超标',
      '  限值：pH 上限 9；该指标水质类别：劣V类；超标倍数：不适用（pH、溶解氧不计超标倍数）',
      '  近期变化：07-01 10:30 9.4',
      '',
      '本次样品水质类别（取最差指标）：劣V（目标 IV 类）',
      '',
      '请核查：生活污水直排、养殖废水、污水处理厂硝化效果（低水温时尤甚）；并确认在线监测设备运行正常。',
      '连续 3 次有效监测达标后将发送恢复通知；超标持续期间每 24 小时提醒一次。',
    ].join('\n'));
    expect(n.sms).toBe('四新河出境断面7月1日10时30分超标：氨氮2.4mg/L（劣V类，超标0.60倍）等3项，请核查。');
    expect(n.attributes).toEqual({ site: 'sixinhe', town: '四新河流域责任镇', kind: 'exceedance', severity: 'critical', param: ['NH3N', 'COD', 'pH'] });
  });

  it('at the sewage plant: the effluent limit, a lower pH bound, dissolved oxygen\'s minimum, an unknown class, a reminder', () => {
    const n = notificationFor(exceedance('hanhai-stp', T0, null, [
      item('TP', 0.4, 0.3, 0.333, null, 'reminder', T0 - 30 * HOUR),
      item('DO', 2, 3, null, 'V', 'ongoing', T0 - 30 * HOUR),
      item('pH', 5.5, 6, null, '劣V', 'ongoing', T0 - 30 * HOUR),
      item('TN', 2.5, 1.5, 0.667, '劣V', 'ongoing', T0 - 30 * HOUR),
    ]), registry.resolve('hanhai-stp'));
    expect(n.subject).toBe('【碧水】高新瀚海污水处理厂出水 总磷、溶解氧、pH值、总氮持续超标');
    expect(n.email.split('\n').filter((l) => l.startsWith('■') || l.startsWith('  限值'))).toEqual([
      '■ 总磷（TP）：0.4mg/L，持续超标（自 2023-06-29 18:00 起）',
      '  限值：出水限值 0.3mg/L；该指标水质类别：类别未知；超标倍数：0.33',
      '■ 溶解氧（DO）：2mg/L，仍超标（自 2023-06-29 18:00 起）',
      '  限值：IV类标准 ≥3mg/L；该指标水质类别：V类；超标倍数：不适用（pH、溶解氧不计超标倍数）',
      '■ pH值（pH）：5.5，仍超标（自 2023-06-29 18:00 起）',
      '  限值：pH 下限 6；该指标水质类别：劣V类；超标倍数：不适用（pH、溶解氧不计超标倍数）',
      '■ 总氮（TN）：2.5mg/L，仍超标（自 2023-06-29 18:00 起）',
      // TN has no effluent limit at the plant: the target's
      '  限值：IV类标准 1.5mg/L；该指标水质类别：劣V类；超标倍数：0.67',
    ]);
    expect(n.email).toContain('本次样品水质类别（取最差指标）：—（目标 IV 类）');
    expect(n.email).toContain('请核查：生活污水、农田退水与降雨冲刷、污水处理厂除磷加药；');
    expect(n.sms).toBe('高新瀚海污水处理厂出水7月1日00时持续超标：总磷0.4mg/L（类别未知，超标0.33倍）、溶解氧2mg/L（V类）等4项，请核查。');
  });

  it('headline: 超标 when any indicator opened, else 超标加重 when one worsened, else 持续超标', () => {
    const head = (...phases: ExceedanceItem['phase'][]) => notificationFor(exceedance('sixinhe', T0, 'V',
      phases.map((p, i) => item(['COD', 'TP', 'NH3N'][i] as string, 36, 30, 0.2, 'V', p, T0))), sixinhe()).subject.replace('【碧水】四新河出境断面 ', '');
    expect(head('ongoing', 'opened')).toBe('化学需氧量、总磷超标');
    expect(head('ongoing', 'worse', 'reminder')).toBe('化学需氧量、总磷、氨氮超标加重');
    expect(head('reminder', 'ongoing')).toBe('化学需氧量、总磷持续超标');
  });

  it('what to check follows the worst indicator; one without advice of its own gets the general one', () => {
    const check = (param: string) => notificationFor(exceedance('sixinhe', T0, 'V', [item(param, 1, 0.5, 1, '劣V', 'opened', T0)]), sixinhe()).email.split('\n').find((l) => l.startsWith('请核查'));
    expect(check('COD')).toBe('请核查：上游排口与入河排污口排放、污水处理厂出水、降雨冲刷带入的面源污染；并确认在线监测设备运行正常。');
    expect(check('Cu')).toBe('请核查：上游来水与排口情况、仪器运行状态；并确认在线监测设备运行正常。');
  });

  it.each([
    ['CODMn', '上游排口、生活污水直排、降雨冲刷'],
    ['NH3N', '生活污水直排、养殖废水、污水处理厂硝化效果（低水温时尤甚）'],
    ['TP', '生活污水、农田退水与降雨冲刷、污水处理厂除磷加药'],
    ['TN', '农田退水、污水处理厂反硝化效果、上游来水'],
    ['DO', '有机污染负荷、藻类夜间耗氧、高温少流'],
    ['pH', '工业废水偷排、藻类大量繁殖、仪器校准'],
    ['F', '工业排放（电镀、玻璃、化肥）与地下水补给'],
  ])('%s over its limit: check %s', (param, advice) => {
    const n = notificationFor(exceedance('sixinhe', T0, '劣V', [item(param, 1, 0.5, 1, '劣V', 'opened', T0)]), sixinhe());
    expect(n.email.split('\n').find((l) => l.startsWith('请核查'))).toBe(`请核查：${advice}；并确认在线监测设备运行正常。`);
  });

  it('severity: a warning when no indicator is in 劣V or at a multiple of 1', () => {
    const n = notificationFor(exceedance('sixinhe', T0, 'V', [item('COD', 36, 30, 0.2, 'V', 'opened', T0), item('DO', 2.5, 3, null, 'V', 'opened', T0)]), sixinhe());
    expect(n.attributes.severity).toBe('warning');
  });
});

describe('the exceedance SMS', () => {
  /** Items of equal length: 总磷0.35mg/L（V类，超标0.17倍） is 22 characters. */
  const tps = (n: number) => Array.from({ length: n }, () => item('TP', 0.35, 0.3, 0.17, 'V', 'opened', T0));
  const sms = (items: ExceedanceItem[], site = 'zhaoniuhe') => notificationFor(exceedance(site, T0, 'V', items), registry.resolve(site)).sms;

  it('names them all when they fit, with no count', () => {
    // 赵牛河断面7月1日00时超标： (15) + 2 × 22 + 、 + ，请核查。 (5) = 65
    expect(sms(tps(2))).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）、总磷0.35mg/L（V类，超标0.17倍），请核查。');
  });

  it('stops before the item that would not fit, and says how many there are', () => {
    expect(sms(tps(3))).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）、总磷0.35mg/L（V类，超标0.17倍）等3项，请核查。');
    expect(sms(tps(9))).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）、总磷0.35mg/L（V类，超标0.17倍）等9项，请核查。');
  });

  it('a list that fills the segment exactly is sent whole; the count is reserved for the items before the last', () => {
    // 15 + 22 + 、 + 27 + 5 = 70: the second item fits exactly when it is the last one
    const first = item('TP', 0.35, 0.3, 0.17, 'V', 'opened', T0);
    const second = item('CODMn', 11.25, 10, 0.13, 'V', 'opened', T0); // 高锰酸盐指数11.25mg/L（V类，超标0.13倍）: 27
    const text = sms([first, second]);
    expect(text).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）、高锰酸盐指数11.25mg/L（V类，超标0.13倍），请核查。');
    expect(text.length).toBe(70);
    // the same two and a third: the second no longer fits beside 等3项
    expect(sms([first, second, first])).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）等3项，请核查。');
  });

  it('an indicator that would overfill the segment by its separator alone is left out, and counted', () => {
    // 15 + 22 + 、 + 28 + 5 = 71: one over, by the 、 before it
    const first = item('TP', 0.35, 0.3, 0.17, 'V', 'opened', T0);
    const second = item('BOD5', 11.25, 10, 0.13, 'V', 'opened', T0); // 五日生化需氧量11.25mg/L（V类，超标0.13倍）: 28
    expect(sms([first, second])).toBe('赵牛河断面7月1日00时超标：总磷0.35mg/L（V类，超标0.17倍）等2项，请核查。');
  });

  it('the worst indicator is named even when it and the count alone overfill the segment (then cut at a boundary)', () => {
    const site = registry.resolve('某某河'.repeat(20)); // unregistered: “某某河某某河某某…”（未登记）, 16 characters
    const worst = item('LAS', 0.0001235, 0.3, 10.5, '劣V', 'worse', T0); // 阴离子表面活性剂0.0001235mg/L（劣V类，超标10.50倍）: 35
    const text = notificationFor(exceedance(site.id, T0 + 10 * HOUR + 30 * MINUTE, '劣V', Array.from({ length: 10 }, () => worst)), site).sms;
    expect(text).toBe('“某某河某某河某某…”（未登记）7月1日10时30分超标加重：阴离子表面活性剂0.0001235mg/L（劣V类…');
  });
});

describe('a recovery', () => {
  it('names the indicators, the streak that closed them, their latest values and when each episode began', () => {
    const n = notificationFor({ kind: 'recovery', site: 'zhaoniuhe', time: T0 + 30 * HOUR, items: [{ param: 'TP', since: T0 + 5 * HOUR, value: 0.21, limit: 0.3 }, { param: 'DO', since: T0 + 2 * HOUR, value: 6.1, limit: 3 }] }, zhaoniuhe());
    expect(n.subject).toBe('【碧水】赵牛河断面 总磷、溶解氧恢复达标');
    expect(n.default).toBe('赵牛河断面 总磷、溶解氧已恢复达标：截至 2023-07-02 06:00 连续 3 次有效监测达标。');
    expect(n.email).toBe([
      '【碧水】赵牛河断面 总磷、溶解氧恢复达标', '',
      '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '截至 2023-07-02 06:00，以下指标连续 3 次有效监测达标，超标结束：',
      '■ 总磷（TP）：最新 0.21mg/L（限值 0.3mg/L），超标自 2023-07-01 05:00 起。',
      '■ 溶解氧（DO）：最新 6.1mg/L（限值 3mg/L），超标自 2023-07-01 02:00 起。',
    ].join('\n'));
    // the SMS gives the earliest start
    expect(n.sms).toBe('赵牛河断面总磷、溶解氧已恢复达标，截至7月2日06时连续3次达标，超标自7月1日02时起。');
    expect(n.attributes).toEqual({ site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: 'recovery', severity: 'info', param: ['TP', 'DO'] });
  });
});

describe('a late digest (补报)', () => {
  const hit = (hour: number, param: string, value: number, limit: number, multiple: number | null, cls: ExceedanceItem['cls']) =>
    ({ time: T0 + hour * HOUR, param, value, limit, multiple, cls }) as Extract<AlertEvent, { kind: 'late-exceedance' }>['hits'][number];

  it('lists the readings by time, each with its indicators; counts the readings, "at least" when some were left out', () => {
    const n = notificationFor({ kind: 'late-exceedance', site: 'zhaoniuhe', file: 'a.csv', more: 3, hits: [
      hit(17, 'NH3N', 2.4, 1.5, 0.6, '劣V'), hit(3, 'TP', 0.35, 0.3, 0.1667, 'V'), hit(3, 'DO', 2.5, 3, null, 'V'),
    ] }, zhaoniuhe());
    expect(n.subject).toBe('【碧水】赵牛河断面 补报：迟到数据超标');
    expect(n.default).toBe('赵牛河断面 补报迟到数据超标：7月1日03时至7月1日17时共 至少2个时次，氨氮、总磷、溶解氧（文件 a.csv）。');
    expect(n.email).toBe([
      '【碧水】赵牛河断面 补报：迟到数据超标', '',
      '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '文件：a.csv',
      '该文件送达时，更晚的监测数据已经评价过；以下超标此前没有任何文件报告过，现补报一次。',
      '补报不开启、也不结束超标过程（已有的超标提醒与恢复通知不受影响）。', '',
      '■ 2023-07-01 03:00：总磷 0.35mg/L（限值 0.3mg/L，V类，超标0.17倍）；溶解氧 2.5mg/L（限值 3mg/L，V类）',
      '■ 2023-07-01 17:00：氨氮 2.4mg/L（限值 1.5mg/L，劣V类，超标0.60倍）',
      '另有 3 项超标未逐条列出，详见该文件的监测数据（bishui query）。',
    ].join('\n'));
    expect(n.sms).toBe('赵牛河断面补报迟到数据超标：7月1日03时至7月1日17时共至少2个时次，氨氮、总磷、溶解氧，详见邮件。');
    expect(n.attributes).toEqual({ site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: 'exceedance', severity: 'critical', param: ['NH3N', 'TP', 'DO'] });
  });

  it('one reading: one time, no "at least", no line about more; a warning when nothing is critical', () => {
    const n = notificationFor({ kind: 'late-exceedance', site: 'zhaoniuhe', file: 'a.csv', more: 0, hits: [hit(3, 'TP', 0.35, 0.3, 0.1667, 'V')] }, zhaoniuhe());
    expect(n.default).toBe('赵牛河断面 补报迟到数据超标：7月1日03时共 1个时次，总磷（文件 a.csv）。');
    expect(n.email.split('\n').at(-1)).toBe('■ 2023-07-01 03:00：总磷 0.35mg/L（限值 0.3mg/L，V类，超标0.17倍）');
    expect(n.sms).toBe('赵牛河断面补报迟到数据超标：7月1日03时共1个时次，总磷，详见邮件。');
    expect(n.attributes).toMatchObject({ severity: 'warning', param: 'TP' });
  });

  it('three readings: the span runs from the first to the last', () => {
    const n = notificationFor({ kind: 'late-exceedance', site: 'zhaoniuhe', file: 'a.csv', more: 0, hits: [hit(9, 'TP', 0.35, 0.3, 0.1667, 'V'), hit(3, 'TP', 0.35, 0.3, 0.1667, 'V'), hit(5, 'TP', 0.35, 0.3, 0.1667, 'V')] }, zhaoniuhe());
    expect(n.sms).toBe('赵牛河断面补报迟到数据超标：7月1日03时至7月1日09时共3个时次，总磷，详见邮件。');
    expect(n.email.split('\n').filter((l) => l.startsWith('■')).map((l) => l.slice(2, 18))).toEqual(['2023-07-01 03:00', '2023-07-01 05:00', '2023-07-01 09:00']);
  });

  it('a file name from the file is one clean line of at most 60 characters', () => {
    const n = notificationFor({ kind: 'late-exceedance', site: 'zhaoniuhe', file: `a\nb${'长'.repeat(100)}.csv`, more: 0, hits: [hit(3, 'TP', 0.35, 0.3, 0.1667, 'V')] }, zhaoniuhe());
    const line = n.email.split('\n').find((l) => l.startsWith('文件：'))!;
    expect(line).toBe(`文件：a b${'长'.repeat(56)}…`);
  });
});

describe('a flood-season swing', () => {
  const swing = (over: Partial<FluctuationEvent>): FluctuationEvent => ({
    kind: 'fluctuation', site: 'zhaoniuhe', day: '2023-07-20', mainSeason: true, inWindow: true, cwqi: 7.3, baseline: 5.6, previous: 5.4,
    vsBaseline: 0.3036, dayOnDay: 0.3519, grade: 'V', previousGrade: 'IV', baselineGrade: 'IV', reasons: ['baseline', 'grade'],
    drivers: [{ param: 'NH3N', from: 0.6, to: 1.1 }, { param: 'TP', from: 0.9, to: 1.4 }, { param: 'COD', from: 1, to: 1.2 }], ...over,
  });

  it('in the main season: the index, both changes with their thresholds, the grades and the drivers', () => {
    const n = notificationFor(swing({}), zhaoniuhe());
    expect(n.subject).toBe('【碧水】赵牛河断面 主汛期水质指数大幅波动');
    expect(n.default).toBe('赵牛河断面 7月20日主汛期日均水质指数 7.3（较汛前基准+30%，较前一日+35%，日均降至V类），主要拉高指标：氨氮（0.6→1.1）、总磷（0.9→1.4）、化学需氧量（1→1.2）。');
    expect(n.email).toBe([
      '【碧水】赵牛河断面 主汛期水质指数大幅波动（2023-07-20）', '',
      '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '日均水质指数（CWQI）：7.3',
      '较汛前基准（5.6）：+30%（告警阈值 +30%）',
      '较前一日（5.4）：+35%（告警阈值 +50%）',
      '日均水质类别：V（前一日 IV，汛前基准 IV）',
      '主要拉高指标（指数分项，基准→当日）：氨氮（0.6→1.1）、总磷（0.9→1.4）、化学需氧量（1→1.2）', '',
      '请核查：降雨冲刷与面源污染、沿河排口雨污混流、上游来水；必要时加密监测。',
    ].join('\n'));
    expect(n.sms).toBe('赵牛河断面7月20日水质指数7.3，较汛前基准+30%，较前一日+35%，日均降至V类，主要是氨氮、总磷。');
    expect(n.attributes).toEqual({ site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: 'fluctuation', severity: 'critical', param: 'NH3N' });
  });

  it('in the window outside the main season, with no baseline, grade or driver: dashes, and a warning', () => {
    const n = notificationFor(swing({ day: '2023-06-05', mainSeason: false, baseline: null, vsBaseline: null, grade: null, previousGrade: null, baselineGrade: null, reasons: ['day-on-day'], drivers: [] }), zhaoniuhe());
    expect(n.subject).toBe('【碧水】赵牛河断面 汛期水质指数大幅波动');
    expect(n.default).toBe('赵牛河断面 6月5日汛期日均水质指数 7.3（较汛前基准—，较前一日+35%），主要拉高指标：—。');
    expect(n.email.split('\n').slice(3, 8)).toEqual([
      '日均水质指数（CWQI）：7.3',
      '较汛前基准（无）：—（告警阈值 +30%）',
      '较前一日（5.4）：+35%（告警阈值 +50%）',
      '日均水质类别：—（前一日 —，汛前基准 —）',
      '主要拉高指标（指数分项，基准→当日）：—',
    ]);
    expect(n.sms).toBe('赵牛河断面6月5日水质指数7.3，较汛前基准—，较前一日+35%，主要是—。');
    expect(n.attributes).toMatchObject({ severity: 'warning', param: 'none' });
  });

  it('outside the window: the outside thresholds; a fall shows its sign; critical above twice the baseline', () => {
    const config = { ...DEFAULT_ALERT_CONFIG, flood: { ...DEFAULT_ALERT_CONFIG.flood, outsideWindow: { enabled: true, vsBaseline: 0.55, dayOnDay: 0.85 } } };
    const n = notificationFor(swing({ day: '2023-11-05', mainSeason: false, inWindow: false, previous: null, dayOnDay: -0.1, reasons: ['baseline'] }), zhaoniuhe(), undefined, config);
    expect(n.subject).toBe('【碧水】赵牛河断面 非汛期水质指数大幅波动');
    expect(n.email.split('\n').slice(4, 6)).toEqual(['较汛前基准（5.6）：+30%（告警阈值 +55%）', '较前一日（无）：-10%（告警阈值 +85%）']);
    expect(n.attributes.severity).toBe('warning');
    const [double, justDouble] = [1.01, 1].map((x) => notificationFor(swing({ vsBaseline: x, reasons: ['baseline'] }), zhaoniuhe()).attributes.severity);
    expect([double, justDouble]).toEqual(['critical', 'warning']);
    expect(notificationFor(swing({ vsBaseline: 0, reasons: ['baseline'] }), zhaoniuhe()).default).toContain('较汛前基准+0%');
  });
});

describe('suspect data, to operations', () => {
  const ops = (e: AlertEvent, site = zhaoniuhe()) => notificationFor(e, site);
  const footer = ['', '自动监测数据弄虚作假或设备故障都会表现为此类异常，请运维单位现场核查并留存记录。'];
  const attrs = (param: string) => ({ site: 'zhaoniuhe', town: '赵牛河流域责任镇', kind: 'suspect-data', severity: 'warning', param });

  it('a gap, when data resumed', () => {
    const n = ops({ kind: 'suspect-data', problem: 'gap', site: 'zhaoniuhe', time: T0 + 17 * HOUR, from: T0 + 9 * HOUR });
    expect(n.topic).toBe('operations');
    expect(n.subject).toBe('【碧水】赵牛河断面 监测数据异常：数据中断');
    expect(n.default).toBe('赵牛河断面 监测数据异常：数据中断。自 2023-07-01 09:00 至 2023-07-01 17:00 无有效数据（超过 6 小时）。');
    expect(n.email).toBe(['【碧水】赵牛河断面 监测数据异常：数据中断', '', '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '自 2023-07-01 09:00 至 2023-07-01 17:00 无有效数据（超过 6 小时）。', '请检查：采样泵与数采仪、通讯链路、供电。', ...footer].join('\n'));
    expect(n.sms).toBe('赵牛河断面在线监测7月1日09时至7月1日17时无有效数据，请检查设备。');
    expect(n.attributes).toEqual(attrs('none'));
  });

  it('a station still silent, first and as a reminder', () => {
    const first = ops({ kind: 'suspect-data', problem: 'silent', site: 'zhaoniuhe', time: T0 + 7 * HOUR, from: T0, reminder: false });
    expect(first.subject).toBe('【碧水】赵牛河断面 监测数据异常：数据中断');
    const n = ops({ kind: 'suspect-data', problem: 'silent', site: 'zhaoniuhe', time: T0 + 31 * HOUR, from: T0, reminder: true });
    expect(n.subject).toBe('【碧水】赵牛河断面 监测数据异常：数据仍中断');
    expect(n.email).toBe(['【碧水】赵牛河断面 监测数据异常：数据仍中断', '', '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '最后一条在线监测数据时间 2023-07-01 00:00，截至 2023-07-02 07:00 已 31小时没有收到数据（超过 6 小时即告警，仍中断时每 24 小时提醒）。',
      '请检查：采样泵与数采仪、通讯链路、供电；设备停运须按规定报备。', ...footer].join('\n'));
    expect(n.sms).toBe('赵牛河断面在线监测自7月1日00时起已31小时无数据，请检查设备。');
    expect(n.attributes).toEqual(attrs('none'));
  });

  it('a run of flagged readings', () => {
    const n = ops({ kind: 'suspect-data', problem: 'flagged-run', site: 'zhaoniuhe', time: T0 + 16 * HOUR, from: T0 + 10 * HOUR, flags: ['D', 'M'] });
    expect(n.subject).toBe('【碧水】赵牛河断面 监测数据异常：长时间无效标记');
    expect(n.email).toBe(['【碧水】赵牛河断面 监测数据异常：长时间无效标记', '', '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '自 2023-07-01 10:00 起数据持续带标记 D、M（非 N，不计入评价），已超过 6 小时。', '请检查：仪器故障、维护或校准是否超时。', ...footer].join('\n'));
    expect(n.sms).toBe('赵牛河断面自7月1日10时起数据持续标记D、M，请检查仪器。');
    expect(n.attributes).toEqual(attrs('none'));
  });

  it('a flat line', () => {
    const n = ops({ kind: 'suspect-data', problem: 'flat-line', site: 'zhaoniuhe', time: T0 + 16 * HOUR, param: 'NH3N', value: 0.575, readings: 12 });
    expect(n.subject).toBe('【碧水】赵牛河断面 监测数据异常：氨氮数值恒定');
    expect(n.email).toBe(['【碧水】赵牛河断面 监测数据异常：氨氮数值恒定', '', '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '氨氮 连续 12 次读数均为 0.575mg/L，截至 2023-07-01 16:00。', '正常水体中该指标应有波动，请检查仪器是否卡滞或数据被人为设定。', ...footer].join('\n'));
    expect(n.sms).toBe('赵牛河断面氨氮连续12次恒为0.575，请核查仪器。');
    expect(n.attributes).toEqual(attrs('NH3N'));
  });

  it('a fall to near zero after an exceedance', () => {
    const n = ops({ kind: 'suspect-data', problem: 'near-zero', site: 'zhaoniuhe', time: T0 + 3 * HOUR, param: 'COD', value: 0.5, limit: 30, previous: 36 });
    expect(n.subject).toBe('【碧水】赵牛河断面 监测数据异常：化学需氧量超标后骤降至接近零');
    expect(n.default).toBe('赵牛河断面 监测数据异常：化学需氧量超标后骤降至接近零。2023-07-01 03:00 化学需氧量 由超标的 36 骤降至 0.5mg/L（限值 30）。');
    expect(n.email).toBe(['【碧水】赵牛河断面 监测数据异常：化学需氧量超标后骤降至接近零', '', '站点：赵牛河断面（zhaoniuhe，责任镇：赵牛河流域责任镇）',
      '2023-07-01 03:00 化学需氧量 由超标的 36 骤降至 0.5mg/L（限值 30）。', '请核查：仪器、采样管路是否被干预，现场比对人工监测。', ...footer].join('\n'));
    expect(n.sms).toBe('赵牛河断面化学需氧量超标后骤降至0.5，疑似异常，请核查。');
    expect(n.attributes).toEqual(attrs('COD'));
  });

  it('at an unregistered station: its name quoted and marked, how it is judged, no town', () => {
    const site = registry.resolve('某某河自动站');
    const n = ops({ kind: 'suspect-data', problem: 'gap', site: site.id, time: T0 + 17 * HOUR, from: T0 + 9 * HOUR }, site);
    expect(n.subject).toBe('【碧水】“某某河自动站”（未登记） 监测数据异常：数据中断');
    expect(n.email.split('\n')[2]).toBe('站点：“某某河自动站”（未登记）（站点未在 config/sites.json 中登记，按河流断面 IV 类目标评价）');
    expect(n.sms).toBe('“某某河自动站”（未登记）在线监测7月1日09时至7月1日17时无有效数据，请检查设备。');
    expect(n.attributes).toMatchObject({ site: '某某河自动站', town: 'unknown' });
  });
});

/**
 * Suspect data, to operations: a gap when data resumed, a station still silent (the watchdog), a
 * long run of flagged readings, a flat line, a fall to near zero right after an exceedance.
 */
import type { Notification } from '../../ports/index.js';
import type { AlertEvent } from '../events.js';
import { smsText } from '../sms.js';
import { type MessageContext, attributes, durationText, emailName, full, num, siteLine, smsName, subjectName, when, withUnit, zh } from './text.js';

type SuspectEvent = Extract<AlertEvent, { kind: 'suspect-data' }>;
type Of<P extends SuspectEvent['problem']> = Extract<SuspectEvent, { problem: P }>;

function ops(c: MessageContext, title: string, body: string[], sms: string, param: string): Notification {
  return {
    topic: 'operations',
    subject: `【碧水】${subjectName(c.site)} 监测数据异常：${title}`,
    default: `${emailName(c.site)} 监测数据异常：${title}。${body[0] ?? ''}`,
    email: [
      `【碧水】${emailName(c.site)} 监测数据异常：${title}`, '', siteLine(c.site), ...body, '',
      '自动监测数据弄虚作假或设备故障都会表现为此类异常，请运维单位现场核查并留存记录。',
    ].join('\n'),
    sms: smsText(sms),
    attributes: attributes(c.site, 'suspect-data', 'warning', param),
  };
}

const gap = (e: Of<'gap'>, c: MessageContext) => ops(c, '数据中断',
  [`自 ${full(e.from, c.zone)} 至 ${full(e.time, c.zone)} 无有效数据（超过 ${c.config.suspect.gapHours} 小时）。`, '请检查：采样泵与数采仪、通讯链路、供电。'],
  `${smsName(c.site)}在线监测${when(e.from, c.zone)}至${when(e.time, c.zone)}无有效数据，请检查设备。`, 'none');

function silent(e: Of<'silent'>, c: MessageContext): Notification {
  const silentFor = durationText(e.time - e.from);
  return ops(c, e.reminder ? '数据仍中断' : '数据中断',
    [`最后一条在线监测数据时间 ${full(e.from, c.zone)}，截至 ${full(e.time, c.zone)} 已 ${silentFor}没有收到数据（超过 ${c.config.suspect.gapHours} 小时即告警，仍中断时每 ${c.config.reminderHours} 小时提醒）。`,
      '请检查：采样泵与数采仪、通讯链路、供电；设备停运须按规定报备。'],
    `${smsName(c.site)}在线监测自${when(e.from, c.zone)}起已${silentFor}无数据，请检查设备。`, 'none');
}

const flaggedRun = (e: Of<'flagged-run'>, c: MessageContext) => ops(c, '长时间无效标记',
  [`自 ${full(e.from, c.zone)} 起数据持续带标记 ${e.flags.join('、')}（非 N，不计入评价），已超过 ${c.config.suspect.flaggedRunHours} 小时。`, '请检查：仪器故障、维护或校准是否超时。'],
  `${smsName(c.site)}自${when(e.from, c.zone)}起数据持续标记${e.flags.join('、')}，请检查仪器。`, 'none');

const flatLine = (e: Of<'flat-line'>, c: MessageContext) => ops(c, `${zh(e.param)}数值恒定`,
  [`${zh(e.param)} 连续 ${e.readings} 次读数均为 ${withUnit(e.param, e.value)}，截至 ${full(e.time, c.zone)}。`, '正常水体中该指标应有波动，请检查仪器是否卡滞或数据被人为设定。'],
  `${smsName(c.site)}${zh(e.param)}连续${e.readings}次恒为${num(e.value)}，请核查仪器。`, e.param);

const nearZero = (e: Of<'near-zero'>, c: MessageContext) => ops(c, `${zh(e.param)}超标后骤降至接近零`,
  [`${full(e.time, c.zone)} ${zh(e.param)} 由超标的 ${num(e.previous)} 骤降至 ${withUnit(e.param, e.value)}（限值 ${num(e.limit)}）。`, '请核查：仪器、采样管路是否被干预，现场比对人工监测。'],
  `${smsName(c.site)}${zh(e.param)}超标后骤降至${num(e.value)}，疑似异常，请核查。`, e.param);

export function suspectNotification(event: SuspectEvent, c: MessageContext): Notification {
  switch (event.problem) {
    case 'gap': return gap(event, c);
    case 'silent': return silent(event, c);
    case 'flagged-run': return flaggedRun(event, c);
    case 'flat-line': return flatLine(event, c);
    case 'near-zero': return nearZero(event, c);
  }
}

/** The indicators of one reading whose episodes closed: back within target for recoveryStreak readings. */
import type { Notification } from '../../ports/index.js';
import type { AlertEvent } from '../events.js';
import { smsText } from '../sms.js';
import { type MessageContext, attributes, emailName, full, siteLine, smsName, subjectName, when, withUnit, zh } from './text.js';

type RecoveryEvent = Extract<AlertEvent, { kind: 'recovery' }>;

export function recoveryNotification(event: RecoveryEvent, c: MessageContext): Notification {
  const names = event.items.map((i) => zh(i.param)).join('、');
  const streak = c.config.recoveryStreak;
  const earliest = Math.min(...event.items.map((i) => i.since));
  return {
    topic: 'alerts',
    subject: `【碧水】${subjectName(c.site)} ${names}恢复达标`,
    default: `${emailName(c.site)} ${names}已恢复达标：截至 ${full(event.time, c.zone)} 连续 ${streak} 次有效监测达标。`,
    email: [
      `【碧水】${emailName(c.site)} ${names}恢复达标`, '',
      siteLine(c.site),
      `截至 ${full(event.time, c.zone)}，以下指标连续 ${streak} 次有效监测达标，超标结束：`,
      ...event.items.map((i) => `■ ${zh(i.param)}（${i.param}）：最新 ${withUnit(i.param, i.value)}（限值 ${withUnit(i.param, i.limit)}），超标自 ${full(i.since, c.zone)} 起。`),
    ].join('\n'),
    sms: smsText(`${smsName(c.site)}${names}已恢复达标，截至${when(event.time, c.zone)}连续${streak}次达标，超标自${when(earliest, c.zone)}起。`),
    attributes: attributes(c.site, 'recovery', 'info', event.items.map((i) => i.param)),
  };
}

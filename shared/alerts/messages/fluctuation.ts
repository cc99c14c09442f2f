/** A flood-season swing of a section's daily water-quality index (flood-rule.ts), with the indicators that drove it. */
import type { Notification } from '../../ports/index.js';
import type { Severity } from '../events.js';
import type { FluctuationEvent } from '../flood-rule.js';
import { smsText } from '../sms.js';
import { type MessageContext, attributes, dayText, emailName, num, siteLine, smsName, subjectName, zh } from './text.js';

const pct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);

export function fluctuationNotification(event: FluctuationEvent, c: MessageContext): Notification {
  const drivers = event.drivers.map((d) => `${zh(d.param)}（${num(d.from)}→${num(d.to)}）`).join('、') || '—';
  const season = event.mainSeason ? '主汛期' : event.inWindow ? '汛期' : '非汛期';
  const severity: Severity = event.reasons.includes('grade') || (event.vsBaseline ?? 0) > 1 ? 'critical' : 'warning';
  const grade = event.reasons.includes('grade') ? `，日均降至${event.grade}类` : '';
  const limits = event.inWindow ? c.config.flood : c.config.flood.outsideWindow;
  const change = `较汛前基准${pct(event.vsBaseline)}，较前一日${pct(event.dayOnDay)}`;
  return {
    topic: 'alerts',
    subject: `【碧水】${subjectName(c.site)} ${season}水质指数大幅波动`,
    default: `${emailName(c.site)} ${dayText(event.day)}${season}日均水质指数 ${num(event.cwqi)}（${change}${grade}），主要拉高指标：${drivers}。`,
    email: [
      `【碧水】${emailName(c.site)} ${season}水质指数大幅波动（${event.day}）`, '',
      siteLine(c.site),
      `日均水质指数（CWQI）：${num(event.cwqi)}`,
      `较汛前基准（${event.baseline === null ? '无' : num(event.baseline)}）：${pct(event.vsBaseline)}（告警阈值 +${Math.round(limits.vsBaseline * 100)}%）`,
      `较前一日（${event.previous === null ? '无' : num(event.previous)}）：${pct(event.dayOnDay)}（告警阈值 +${Math.round(limits.dayOnDay * 100)}%）`,
      `日均水质类别：${event.grade ?? '—'}（前一日 ${event.previousGrade ?? '—'}，汛前基准 ${event.baselineGrade ?? '—'}）`,
      `主要拉高指标（指数分项，基准→当日）：${drivers}`, '',
      '请核查：降雨冲刷与面源污染、沿河排口雨污混流、上游来水；必要时加密监测。',
    ].join('\n'),
    sms: smsText(`${smsName(c.site)}${dayText(event.day)}水质指数${num(event.cwqi)}，${change}${grade}，主要是${event.drivers.slice(0, 2).map((d) => zh(d.param)).join('、') || '—'}。`),
    attributes: attributes(c.site, 'fluctuation', severity, event.drivers[0]?.param ?? 'none'),
  };
}

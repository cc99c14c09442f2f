/**
 * A burst — more notifications for one site and topic from one update than `digestAbove` (a
 * backlog file, a month of hourly exceedances) — collapses into one digest: an SMS with the counts
 * ("24 条超标，详见邮件") and an email listing every message, one line each. Nobody reads 240 SMS;
 * everybody reads one.
 */
import type { Notification, Topic } from '../../ports/index.js';
import { zonedToInstant } from '../../domain/time.js';
import type { AnyEvent } from '../events.js';
import { smsText } from '../sms.js';
import { type MessageContext, emailName, siteLine, smsName, subjectName, when } from './text.js';

const KIND_WORDS: Readonly<Record<string, string>> = {
  exceedance: '超标', 'late-exceedance': '补报超标', recovery: '恢复', fluctuation: '水质波动', 'suspect-data': '数据异常',
};

/** The time an event is about (a flood-season swing: local noon of its day). */
function timeOf(e: AnyEvent, zone: string): number {
  if (e.kind === 'fluctuation') return zonedToInstant(Number(e.day.slice(0, 4)), Number(e.day.slice(5, 7)), Number(e.day.slice(8, 10)), 12, 0, 0, 0, zone);
  if (e.kind === 'late-exceedance') return e.hits[0]?.time ?? 0;
  return e.time;
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

export function digestNotification(topic: Topic, entries: readonly { readonly event: AnyEvent; readonly n: Notification }[], c: MessageContext): Notification {
  const counts = new Map<string, number>();
  for (const { event } of entries) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  const summary = [...counts].map(([k, n]) => `${KIND_WORDS[k] ?? k}${n}条`).join('、');
  const times = entries.map((x) => timeOf(x.event, c.zone));
  const span = `${when(Math.min(...times), c.zone)}至${when(Math.max(...times), c.zone)}`;
  const attr = (name: string) => [...new Set(entries.flatMap((x) => list(x.n.attributes[name])))];
  return {
    topic,
    subject: `【碧水】${subjectName(c.site)} ${entries.length} 条${topic === 'alerts' ? '告警' : '运维通知'}汇总`,
    default: `${emailName(c.site)} ${span}共 ${entries.length} 条${topic === 'alerts' ? '告警' : '运维通知'}：${summary}。`,
    email: [
      `【碧水】${emailName(c.site)} ${entries.length} 条${topic === 'alerts' ? '告警' : '运维通知'}汇总（${span}）`, '',
      siteLine(c.site),
      `同一批数据一次产生了 ${entries.length} 条通知（${summary}），合并为本邮件，按时间逐条列出：`, '',
      ...entries.map((x) => `■ ${x.n.default}`),
    ].join('\n'),
    sms: smsText(`${smsName(c.site)}${span}共${entries.length}条：${summary}，详见邮件。`),
    attributes: { site: c.site.id, town: c.site.town ?? 'unknown', kind: attr('kind'), severity: attr('severity'), param: attr('param') },
  };
}

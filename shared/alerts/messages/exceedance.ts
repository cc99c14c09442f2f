/**
 * One reading over target: every indicator over target in it, worst first, each with its own GB
 * 3838 class and multiple; the severity of the worst of them. The sample's grade appears only where
 * the text says it is the sample's grade.
 */
import { SMS_MAX_CHARS } from '../../limits.js';
import type { Notification } from '../../ports/index.js';
import { type AlertEvent, type ExceedanceItem, indicatorSeverity, worstSeverity } from '../events.js';
import { smsText } from '../sms.js';
import {
  CHECKS, DEFAULT_CHECK, type MessageContext, attributes, classText, emailName, full, limitText, multipleText,
  num, recoveryRule, siteLine, smsName, subjectName, unit, when, withUnit, zh,
} from './text.js';

type ExceedanceEvent = Extract<AlertEvent, { kind: 'exceedance' }>;

const PHASE: Readonly<Record<ExceedanceItem['phase'], string>> = { opened: '新超标', worse: '超标加重', reminder: '持续超标', ongoing: '仍超标' };

/** The headline: 超标 when anything opened, else 超标加重 or 持续超标. */
function headline(items: readonly ExceedanceItem[]): string {
  if (items.some((i) => i.phase === 'opened')) return '超标';
  return items.some((i) => i.phase === 'worse') ? '超标加重' : '持续超标';
}

const severityOf = (i: ExceedanceItem) => indicatorSeverity({ cls: i.cls, multiple: i.exceedance.multiple });

/** 高锰酸盐指数11.2mg/L（V类，超标0.12倍） — the indicator's own class. */
function smsItem(i: ExceedanceItem): string {
  const e = i.exceedance;
  return `${zh(e.param)}${withUnit(e.param, e.value)}（${classText(i.cls)}${e.multiple === null ? '' : `，${multipleText(e.multiple)}`}）`;
}

function emailItem(i: ExceedanceItem, c: MessageContext): string[] {
  const e = i.exceedance;
  return [
    `■ ${zh(e.param)}（${e.param}）：${withUnit(e.param, e.value)}，${PHASE[i.phase]}${i.phase === 'opened' ? '' : `（自 ${full(i.since, c.zone)} 起）`}`,
    `  限值：${limitText(e, c.site)}；该指标水质类别：${classText(i.cls)}；超标倍数：${e.multiple === null ? '不适用（pH、溶解氧不计超标倍数）' : e.multiple.toFixed(2)}`,
    `  近期变化：${i.trend.map(([t, v]) => `${full(t, c.zone).slice(5)} ${num(v)}`).join('，')}${unit(e.param) ? `（${unit(e.param)}）` : ''}`,
  ];
}

/** As many indicators as one SMS segment holds, worst first; `等N项` when some had to be left out. */
function smsFor(event: ExceedanceEvent, c: MessageContext, head: string): string {
  const lead = `${smsName(c.site)}${when(event.time, c.zone)}${head}：`;
  const tail = '，请核查。';
  const parts: string[] = [];
  for (const [k, item] of event.items.entries()) {
    const more = k < event.items.length - 1 ? `等${event.items.length}项` : '';
    const next = [...parts, smsItem(item)].join('、');
    if (parts.length > 0 && `${lead}${next}${more}${tail}`.length > SMS_MAX_CHARS) {
      return smsText(`${lead}${parts.join('、')}等${event.items.length}项${tail}`);
    }
    parts.push(smsItem(item));
  }
  return smsText(`${lead}${parts.join('、')}${tail}`);
}

export function exceedanceNotification(event: ExceedanceEvent, c: MessageContext): Notification {
  const head = headline(event.items);
  const names = event.items.map((i) => zh(i.exceedance.param)).join('、');
  const worst = event.items[0] as ExceedanceItem;
  const title = `【碧水】${subjectName(c.site)} ${names}${head}`;
  return {
    topic: 'alerts',
    subject: title,
    default: `${emailName(c.site)} ${when(event.time, c.zone)} ${head}：${event.items.map(smsItem).join('、')}`,
    email: [
      `【碧水】${emailName(c.site)} ${names}${head}`, '',
      siteLine(c.site),
      `监测时间：${full(event.time, c.zone)}`,
      `超标指标（${event.items.length} 项，按严重程度排列）：`,
      ...event.items.flatMap((i) => emailItem(i, c)), '',
      `本次样品水质类别（取最差指标）：${event.grade ?? '—'}（目标 ${c.site.target} 类）`, '',
      `请核查：${CHECKS[worst.exceedance.param] ?? DEFAULT_CHECK}；并确认在线监测设备运行正常。`,
      recoveryRule(c.config),
    ].join('\n'),
    sms: smsFor(event, c, head),
    attributes: attributes(c.site, 'exceedance', worstSeverity(event.items.map(severityOf)), event.items.map((i) => i.exceedance.param)),
  };
}

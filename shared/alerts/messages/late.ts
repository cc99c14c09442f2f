/**
 * 补报: exceedances in a file that arrived after later readings had been judged, which no earlier
 * file reported — one digest per file and site, listing the readings. Episodes are not touched:
 * the digest reports the past, it does not reopen or close anything.
 */
import type { Notification } from '../../ports/index.js';
import { oneLine } from '../../safe-text.js';
import { type AlertEvent, indicatorSeverity, worstSeverity } from '../events.js';
import type { LateHit } from '../site-state.js';
import { smsText } from '../sms.js';
import { type MessageContext, attributes, classText, emailName, full, multipleText, siteLine, smsName, subjectName, when, withUnit, zh } from './text.js';

type LateEvent = Extract<AlertEvent, { kind: 'late-exceedance' }>;

const FILE_NAME_CHARS = 60;

function hitText(h: LateHit): string {
  return `${zh(h.param)} ${withUnit(h.param, h.value)}（限值 ${withUnit(h.param, h.limit)}，${classText(h.cls)}${h.multiple === null ? '' : `，${multipleText(h.multiple)}`}）`;
}

/** The hits grouped by reading time, oldest first. */
function byReading(hits: readonly LateHit[]): [number, LateHit[]][] {
  const m = new Map<number, LateHit[]>();
  for (const h of hits) (m.get(h.time) ?? m.set(h.time, []).get(h.time)!).push(h);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

export function lateNotification(event: LateEvent, c: MessageContext): Notification {
  const readings = byReading(event.hits);
  const params = [...new Set(event.hits.map((h) => h.param))];
  const names = params.map(zh).join('、');
  const file = oneLine(event.file, FILE_NAME_CHARS);
  const first = readings[0]?.[0] ?? 0;
  const last = readings.at(-1)?.[0] ?? first;
  const span = first === last ? when(first, c.zone) : `${when(first, c.zone)}至${when(last, c.zone)}`;
  const count = `${event.more > 0 ? '至少' : ''}${readings.length}个时次`;
  return {
    topic: 'alerts',
    subject: `【碧水】${subjectName(c.site)} 补报：迟到数据超标`,
    default: `${emailName(c.site)} 补报迟到数据超标：${span}共 ${count}，${names}（文件 ${file}）。`,
    email: [
      `【碧水】${emailName(c.site)} 补报：迟到数据超标`, '',
      siteLine(c.site),
      `文件：${file}`,
      '该文件送达时，更晚的监测数据已经评价过；以下超标此前没有任何文件报告过，现补报一次。',
      '补报不开启、也不结束超标过程（已有的超标提醒与恢复通知不受影响）。', '',
      ...readings.map(([t, hs]) => `■ ${full(t, c.zone)}：${hs.map(hitText).join('；')}`),
      ...(event.more > 0 ? [`另有 ${event.more} 项超标未逐条列出，详见该文件的监测数据（bishui query）。`] : []),
    ].join('\n'),
    sms: smsText(`${smsName(c.site)}补报迟到数据超标：${span}共${count}，${names}，详见邮件。`),
    attributes: attributes(c.site, 'exceedance', worstSeverity(event.hits.map(indicatorSeverity)), params),
  };
}

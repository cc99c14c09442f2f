/**
 * The supervision run's one message (kind `supervision`, topic `alerts`): the email lists the
 * ranking, the sections over target and each ladder action, and names where the documents are; the
 * SMS is one Chinese segment. Names and reasons come partly from data (an unregistered station is
 * named as its file wrote it): each is cleaned of control characters and bounded, and every list is
 * bounded, so the message stays within SNS's limits whatever the data holds.
 */
import { smsText } from '../alerts/sms.js';
import {
  MAX_MESSAGE_LIST_ITEMS, MAX_MESSAGE_NAME_CHARS, MAX_MESSAGE_NAMES_PER_LINE, MAX_REASON_CHARS, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT_CHARS,
} from '../limits.js';
import type { Notification } from '../ports/index.js';
import type { Bulletin, MonthlySiteResult, TownResult } from './bulletin.js';
import { ACTION_ZH, changeText, conc, cwqiText, gradeText, limitText, monthZh, multipleText, paramZh, shareText, unitOf } from './documents/format.js';
import { cleanText } from './documents/text.js';

export type SupervisionSeverity = 'info' | 'warning' | 'critical';

/** Where the run wrote the documents, as a person finds them (s3://… or a local path). */
export interface DocumentLocations {
  readonly html: string;
  readonly json: string;
  readonly letters: readonly string[];
}

const name = (text: string) => cleanText(text, MAX_MESSAGE_NAME_CHARS);
const reason = (text: string) => cleanText(text, MAX_REASON_CHARS);
const isSection = (s: MonthlySiteResult) => s.kind === 'river-section' || s.kind === 'lake-section';
const acting = (b: Bulletin) => b.towns.filter((t) => t.action !== 'none');

/** At most MAX_MESSAGE_LIST_ITEMS lines of a list, then how many were left out. */
function bounded<T>(items: readonly T[], line: (item: T) => string, none = '  无'): string[] {
  if (items.length === 0) return [none];
  const shown = items.slice(0, MAX_MESSAGE_LIST_ITEMS).map(line);
  return items.length > shown.length ? [...shown, `  ……另有 ${items.length - shown.length} 项，见通报`] : shown;
}

/**
 * critical: a town at 约谈主要负责人 or 挂牌督办, or a section worse than Grade V; warning: any other
 * ladder action, section over target or data problem; info: a month with none of these.
 */
export function supervisionSeverity(b: Bulletin): SupervisionSeverity {
  const towns = acting(b);
  if (towns.some((t) => t.action === 'interview-principal' || t.action === 'listed-supervision') || b.zone.worseThanV.length > 0) return 'critical';
  if (towns.length > 0 || b.sites.some((s) => isSection(s) && s.compliant === false) || b.data.problems.length > 0) return 'warning';
  return 'info';
}

function exceedanceText(s: MonthlySiteResult): string {
  return s.exceedances.map((e) => `${paramZh(e.param)} ${conc(e.value)}${unitOf(e.param) ? ` ${unitOf(e.param)}` : ''}（${limitText(e)}，超标${multipleText(e.multiple)}）`).join('；');
}

function townLine(t: TownResult, sites: (ids: readonly string[]) => string): string {
  const who = t.recipients.slice(0, MAX_MESSAGE_NAMES_PER_LINE).map((r) => `${name(r.role)} ${name(r.name)}`).join('，');
  return `  ${name(t.town)}（${sites(t.sites)}）：连续 ${t.consecutive} 个月超标 → ${ACTION_ZH[t.action]}${who ? `（${who}）` : ''}`;
}

/** The SMS: month, zone index and its change, sections over target, the actions by kind — one segment (SMS_MAX_CHARS). */
export function supervisionSms(b: Bulletin): string {
  const over = b.sites.filter((s) => isSection(s) && s.compliant === false).length;
  const byAction = new Map<string, number>();
  for (const t of acting(b)) byAction.set(ACTION_ZH[t.action], (byAction.get(ACTION_ZH[t.action]) ?? 0) + 1);
  const actions = [...byAction].map(([label, n]) => `${label}${n}镇`).join('、') || '无督导措施';
  // smsText cuts to SMS_MAX_CHARS with an ellipsis; the parts before the actions always fit.
  return smsText(`碧水${monthZh(b.month)}通报：区域水质指数${cwqiText(b.zone.cwqi)}（同比${changeText(b.zone.yoy)}），超标断面${over}个，${actions}。详见邮件。`);
}

/** Names in one line, at most MAX_MESSAGE_NAMES_PER_LINE of them. */
function names(ids: readonly string[], siteName: (id: string) => string): string {
  const shown = ids.slice(0, MAX_MESSAGE_NAMES_PER_LINE).map(siteName).join('、');
  return ids.length > MAX_MESSAGE_NAMES_PER_LINE ? `${shown}等 ${ids.length} 处` : shown;
}

/**
 * Within SNS's message size whatever the bounded lists add up to: the email is cut (with a note)
 * before the message would be refused — to the longest start that fits, so no more is lost than
 * must be. Counted as UTF-8 of the JSON SNS receives.
 */
function withinSnsLimit(n: Notification): Notification {
  const size = (email: string) => new TextEncoder().encode(JSON.stringify({ default: n.default, email, sms: n.sms })).length;
  if (size(n.email) <= SNS_MAX_MESSAGE_BYTES) return n;
  const note = '\n……（邮件过长已截断，全文见通报）';
  const chars = [...n.email]; // code points: a character outside the BMP is never split
  const fits = (k: number) => size(chars.slice(0, k).join('') + note) <= SNS_MAX_MESSAGE_BYTES;
  // Binary search: the note alone fits, the whole email does not.
  let lo = 0;
  let hi = chars.length;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return { ...n, email: chars.slice(0, lo).join('') + note };
}

export function supervisionNotification(b: Bulletin, where: DocumentLocations): Notification {
  const month = monthZh(b.month);
  const siteNames = new Map(b.sites.map((s) => [s.site, s.name]));
  const siteName = (id: string) => name(siteNames.get(id) ?? id);
  const sections = b.sites.filter(isSection);
  const ranked = sections.filter((s) => s.rank !== null).sort((x, y) => (x.rank as number) - (y.rank as number));
  const unassessed = sections.filter((s) => !s.assessed);
  const over = b.sites.filter((s) => s.compliant === false);
  const outlets = b.sites.filter((s) => s.effluent);
  const towns = acting(b);
  const title = `【碧水】${month}地表水环境质量月度通报`;
  const blocks: string[][] = [
    [title],
    [
      `区域水质指数 ${cwqiText(b.zone.cwqi)}（同比 ${changeText(b.zone.yoy)}，环比 ${changeText(b.zone.mom)}）；1—${Number(b.month.slice(5, 7))}月累计 ${cwqiText(b.zone.yearToDate.cwqi)}（同比 ${changeText(b.zone.yearToDate.change)}）。变化为负即改善。`,
      ...bounded(b.zone.goals, (g) => `  ${g.met === null ? '待定' : g.met ? '达成' : '未达成'}：${reason(g.goal)} — ${reason(g.detail)}`),
    ],
    [
      '断面排名（水质指数越小越好）：',
      ...bounded(ranked, (s) => `  ${s.rank}. ${siteName(s.site)}${s.registered ? '' : '（未登记）'}  ${gradeText(s.grade)}（目标 ${gradeText(s.target)}）  水质指数 ${cwqiText(s.cwqi)}  同比 ${changeText(s.yoy)}  环比 ${changeText(s.mom)}`),
      ...(unassessed.length > 0 ? ['  未参与排名（数据不足）：', ...bounded(unassessed, (s) => `    ${siteName(s.site)}：${reason(s.notAssessedReason ?? '数据不足')}`)] : []),
    ],
    ['超标断面与点位：', ...bounded(over, (s) => `  ${siteName(s.site)}${s.town ? `（${name(s.town)}）` : ''}${s.registered ? '' : '（未登记）'}：${gradeText(s.grade)}，${exceedanceText(s) || '未达标'}`)],
    ...(outlets.length > 0 ? [['污水处理厂出水（逐样判定）：', ...bounded(outlets, (s) => `  ${siteName(s.site)}：${s.effluent?.samples ?? 0} 个样品，达标率 ${shareText(s.effluent?.compliantShare ?? null)}`)]] : []),
    ['督导措施：', ...bounded(towns, (t) => townLine(t, (ids) => names(ids, siteName)))],
    ...(b.data.problems.length > 0 ? [['数据问题：', ...bounded(b.data.problems, (p) => `  ${siteName(p.site)}：${reason(p.reason)}`)]] : []),
    ['报告文件：', `  通报：${where.html}`, `  数据（JSON）：${where.json}`, ...bounded(where.letters, (l) => `  函件：${l}`, '  函件：无')],
  ];
  return withinSnsLimit({
    topic: 'alerts',
    subject: title.slice(0, SNS_MAX_SUBJECT_CHARS),
    default: `${title}：区域水质指数 ${cwqiText(b.zone.cwqi)}，超标 ${over.length} 处，督导措施 ${towns.length} 项。通报：${where.html}`,
    email: blocks.map((lines) => lines.join('\n')).join('\n\n'),
    sms: supervisionSms(b),
    attributes: { kind: 'supervision', severity: supervisionSeverity(b), site: 'all', town: 'all', param: 'none', month: b.month },
  });
}

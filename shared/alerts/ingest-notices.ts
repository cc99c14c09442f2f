/**
 * Operations notices about files: quarantined, too many rejected rows, dead-lettered, naming an
 * unregistered station close to a registered one. They go to the
 * operations topic, never to river chiefs. Every text is Chinese: a file's reason in Chinese when
 * the parser gave one (FileRejectedError's `reasonZh`), a Chinese fallback otherwise — the parser's
 * English reason appears only in the email, labelled as technical detail, never in an SMS. Keys and
 * reasons come from files and are cleaned and bounded before they reach any text.
 */
import { MAX_NAME_CHARS_EMAIL, MAX_NAME_CHARS_SMS, MAX_REASON_CHARS, S3_MAX_KEY_BYTES } from '../limits.js';
import type { Notification } from '../ports/index.js';
import { oneLine } from '../safe-text.js';
import { bounded } from './messages/bounds.js';
import { smsText } from './sms.js';

export interface FileProblem {
  readonly bucket: string;
  readonly key: string;
  /** What went wrong, as the parser or the runtime said it (English, technical). */
  readonly reason: string;
  /** The same in Chinese, when known. */
  readonly reasonZh?: string;
  readonly quarantineKey?: string;
  readonly accepted?: number;
  readonly rejected?: number;
  /** Line numbers of rejected rows, for the email (the reasons are in the ledger). */
  readonly lines?: readonly number[];
  readonly site?: string;
  readonly town?: string;
}

export type NoticeKind = 'quarantined' | 'rejected-rows' | 'dead-letter' | 'near-miss';

const SMS_FILE_CHARS = 14;

/** The file's name as an SMS shows it: its end, which usually tells files apart. */
function shortName(key: string): string {
  const name = oneLine(key.split('/').pop() ?? key, S3_MAX_KEY_BYTES);
  const chars = [...name];
  return chars.length > SMS_FILE_CHARS ? `…${chars.slice(-(SMS_FILE_CHARS - 1)).join('')}` : name;
}

const where = (p: FileProblem, key: string) => `s3://${oneLine(p.bucket, 63)}/${oneLine(key, S3_MAX_KEY_BYTES)}`;
const technical = (p: FileProblem) => `技术细节（程序原文）：${oneLine(p.reason, MAX_REASON_CHARS)}`;

function notice(kind: NoticeKind, p: FileProblem, title: string, body: string[], sms: string, summary: string): Notification {
  return bounded({
    topic: 'operations',
    subject: `【碧水】${title}`,
    default: `${title}：${where(p, p.key)}，${summary}`,
    email: [`【碧水】${title}`, '', `文件：${where(p, p.key)}`, ...body, '', '原始文件未被删除或修改。'].join('\n'),
    sms: smsText(sms),
    attributes: {
      kind: 'ingest-failure', severity: kind === 'rejected-rows' || kind === 'near-miss' ? 'info' : 'warning',
      site: p.site ?? 'unknown', town: p.town ?? 'unknown', param: 'none', problem: kind,
    },
  });
}

export function quarantinedNotice(p: FileProblem): Notification {
  const reason = oneLine(p.reasonZh ?? '文件内容无法识别为监测数据', MAX_REASON_CHARS);
  return notice('quarantined', p, '监测文件无法读取，已隔离', [
    `原因：${reason}`,
    technical(p),
    // A ledger entry written without the copy's key must not point at the bucket's root.
    p.quarantineKey ? `隔离副本：${where(p, p.quarantineKey)}（旁附 .error.json 错误报告）` : '隔离副本：位置未记录，见文件台账',
    '请检查：导出格式是否为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿；是否含站点、时间和监测指标列；文件是否完整上传。',
  ], `碧水运维：文件${shortName(p.key)}无法读取，已隔离：${reason.split('（')[0]}`, reason);
}

export function rejectedRowsNotice(p: FileProblem): Notification {
  const total = (p.accepted ?? 0) + (p.rejected ?? 0);
  const lines = (p.lines ?? []).slice(0, 20).map((l) => `第${l}行`).join('、');
  return notice('rejected-rows', p, '监测文件中被拒绝的行过多', [
    `接收 ${p.accepted ?? 0} 行，拒绝 ${p.rejected ?? 0} 行（共 ${total} 行）。`,
    ...(lines ? [`被拒绝的行：${lines}${(p.rejected ?? 0) > 20 ? ' 等' : ''}。`] : []),
    '每一行的拒绝原因（前 100 行）记录在文件台账中：npm run --silent bishui -- ingest 的输出或台账查询。',
    '常见原因：数值栏含文字、缺少站点或时间、时间格式无法识别、行的列数与表头不符。',
  ], `碧水运维：文件${shortName(p.key)}拒绝${p.rejected ?? 0}/${total}行，详见邮件。`, `拒绝 ${p.rejected ?? 0}/${total} 行`);
}

export function deadLetterNotice(p: FileProblem): Notification {
  const reason = oneLine(p.reasonZh ?? '处理时反复出错', MAX_REASON_CHARS);
  return notice('dead-letter', p, '监测文件多次处理失败，已转入死信队列', [
    `原因：${reason}`,
    `最后一次错误的${technical(p)}`,
    '请检查函数日志与 DynamoDB 容量，修复后从死信队列重新投递。',
  ], `碧水运维：文件${shortName(p.key)}多次处理失败，已转入死信队列。`, reason);
}

/** A name as written in a file, unregistered, and the registered site it is probably meant to be. */
export interface NearMiss {
  readonly name: string;
  readonly site: string;
  readonly siteName: string;
}

/**
 * A file named a station that is not registered but close to one that is (赵牛河自动站 for
 * 赵牛河断面): its samples were stored under the name as written, so the registered site's series,
 * alerts and monthly results miss them until the name is added to the site's aliases.
 */
export function nearMissNotice(p: FileProblem & { readonly nearMisses: readonly NearMiss[] }): Notification {
  const name = (n: NearMiss) => `「${oneLine(n.name, MAX_NAME_CHARS_EMAIL)}」`;
  const first = p.nearMisses[0] as NearMiss;
  return notice('near-miss', p, '监测文件中有未登记的站点名称', [
    ...p.nearMisses.map((n) => `站点${name(n)}未登记，是否为 ${oneLine(n.siteName, MAX_NAME_CHARS_EMAIL)}（${n.site}）？如是，请把该名称加入 config/sites.json 中该站点的 aliases。`),
    '这些数据已按原名保存为未登记站点（按河流断面、目标 IV 类评价），不计入已登记站点的告警与月度考核，直到名称登记为别名。',
  ], `碧水运维：文件${shortName(p.key)}中站点「${oneLine(first.name, MAX_NAME_CHARS_SMS)}」未登记，疑为${oneLine(first.siteName, MAX_NAME_CHARS_SMS)}，请补登别名。`,
  `未登记站点 ${p.nearMisses.map((n) => oneLine(n.name, MAX_NAME_CHARS_SMS)).join('、')}`);
}

/**
 * Operations notices about files: quarantined, too many rejected rows, dead-lettered. They go to the
 * operations topic, never to river chiefs.
 */
import type { Notification } from '../ports/index.js';
import { smsText } from './sms.js';

export interface FileProblem {
  readonly bucket: string;
  readonly key: string;
  readonly reason: string;
  readonly quarantineKey?: string;
  readonly accepted?: number;
  readonly rejected?: number;
  readonly site?: string;
  readonly town?: string;
}

function notice(kind: 'quarantined' | 'rejected-rows' | 'dead-letter', p: FileProblem, title: string, body: string[], sms: string): Notification {
  return {
    topic: 'operations',
    subject: `【碧水】${title}`,
    default: `${title}: s3://${p.bucket}/${p.key} — ${p.reason}`,
    email: [`【碧水】${title}`, '', `文件：s3://${p.bucket}/${p.key}`, ...body, '', '原始文件未被删除或修改。'].join('\n'),
    sms: smsText(sms),
    attributes: {
      kind: 'ingest-failure', severity: kind === 'rejected-rows' ? 'info' : 'warning',
      site: p.site ?? 'unknown', town: p.town ?? 'unknown', param: 'none', problem: kind,
    },
  };
}

export function quarantinedNotice(p: FileProblem): Notification {
  return notice('quarantined', p, '监测文件无法读取，已隔离', [
    `原因：${p.reason}`,
    `隔离副本：s3://${p.bucket}/${p.quarantineKey ?? ''}（旁附 .error.json 错误报告）`,
    '请检查：导出格式是否为 CSV、JSON、NDJSON 或 HJ 212 日志；是否含站点、时间和监测指标列；文件是否完整上传。',
  ], `碧水运维：文件${shortName(p.key)}无法读取已隔离：${p.reason}`);
}

export function rejectedRowsNotice(p: FileProblem): Notification {
  const total = (p.accepted ?? 0) + (p.rejected ?? 0);
  return notice('rejected-rows', p, '监测文件中被拒绝的行过多', [
    `接收 ${p.accepted ?? 0} 行，拒绝 ${p.rejected ?? 0} 行（共 ${total} 行）。`,
    `原因示例：${p.reason}`,
    '被拒绝的行（前 100 行及原因）记录在文件台账中：npm run --silent bishui -- ingest 的输出或台账查询。',
  ], `碧水运维：文件${shortName(p.key)}拒绝${p.rejected ?? 0}/${total}行`);
}

export function deadLetterNotice(p: FileProblem): Notification {
  return notice('dead-letter', p, '监测文件多次处理失败，已转入死信队列', [
    `最后一次错误：${p.reason}`,
    '请检查函数日志与 DynamoDB 容量，修复后从死信队列重新投递。',
  ], `碧水运维：文件${shortName(p.key)}多次处理失败入死信队列`);
}

function shortName(key: string): string {
  const name = key.split('/').pop() ?? key;
  return name.length > 20 ? `…${name.slice(-19)}` : name;
}

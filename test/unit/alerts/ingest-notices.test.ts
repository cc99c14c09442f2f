/**
 * Operations notices about files, word for word: quarantined, too many rejected rows, dead-lettered,
 * an unregistered station close to a registered one. To the operations topic, in Chinese, the
 * parser's English only in the email as technical detail; the file named by its end in the SMS.
 */
import { describe, expect, it } from 'vitest';
import { deadLetterNotice, nearMissNotice, quarantinedNotice, rejectedRowsNotice } from '../../../shared/alerts/ingest-notices.js';

const unknown = { site: 'unknown', town: 'unknown', param: 'none' };

describe('a quarantined file', () => {
  it('says why in Chinese, the technical reason in the email only, and where the copy and its report are', () => {
    const n = quarantinedNotice({
      bucket: 'raw', key: 'incoming/2023/赵牛河断面-七月.csv', reason: 'is a PDF document', reasonZh: '文件是 PDF 文档（应为 CSV、JSON、NDJSON 或 HJ 212 日志）',
      quarantineKey: 'quarantine/incoming/2023/赵牛河断面-七月.csv', site: 'zhaoniuhe', town: '赵牛河流域责任镇',
    });
    expect(n.topic).toBe('operations');
    expect(n.subject).toBe('【碧水】监测文件无法读取，已隔离');
    expect(n.default).toBe('监测文件无法读取，已隔离：s3://raw/incoming/2023/赵牛河断面-七月.csv，文件是 PDF 文档（应为 CSV、JSON、NDJSON 或 HJ 212 日志）');
    expect(n.email).toBe([
      '【碧水】监测文件无法读取，已隔离', '',
      '文件：s3://raw/incoming/2023/赵牛河断面-七月.csv',
      '原因：文件是 PDF 文档（应为 CSV、JSON、NDJSON 或 HJ 212 日志）',
      '技术细节（程序原文）：is a PDF document',
      '隔离副本：s3://raw/quarantine/incoming/2023/赵牛河断面-七月.csv（旁附 .error.json 错误报告）',
      '请检查：导出格式是否为 CSV、JSON、NDJSON、HJ 212 日志或 .xlsx 工作簿；是否含站点、时间和监测指标列；文件是否完整上传。', '',
      '原始文件未被删除或修改。',
    ].join('\n'));
    // the SMS keeps the reason, not the advice in brackets
    expect(n.sms).toBe('碧水运维：文件赵牛河断面-七月.csv无法读取，已隔离：文件是 PDF 文档');
    expect(n.attributes).toEqual({ kind: 'ingest-failure', severity: 'warning', site: 'zhaoniuhe', town: '赵牛河流域责任镇', param: 'none', problem: 'quarantined' });
  });

  it('without a Chinese reason: a Chinese fallback; without a site: unknown', () => {
    const n = quarantinedNotice({ bucket: 'raw', key: 'a.csv', reason: 'x', quarantineKey: 'quarantine/a.csv' });
    expect(n.sms).toBe('碧水运维：文件a.csv无法读取，已隔离：文件内容无法识别为监测数据');
    expect(n.email).toContain('\n原因：文件内容无法识别为监测数据\n');
    expect(n.attributes).toEqual({ kind: 'ingest-failure', severity: 'warning', ...unknown, problem: 'quarantined' });
  });

  it('a copy whose place was not recorded is not pointed at the bucket', () => {
    const n = quarantinedNotice({ bucket: 'raw', key: 'a.csv', reason: 'x' });
    expect(n.email).toContain('\n隔离副本：位置未记录，见文件台账\n');
    expect(n.email).not.toContain('s3://raw/（');
  });

  it('a long file name is shown by its end in the SMS, the whole key in the email', () => {
    const key = 'incoming/2023/高新瀚海污水处理厂出水-非常长的文件名称-2023年7月报表.csv';
    const n = quarantinedNotice({ bucket: 'raw', key, reason: 'x', quarantineKey: `quarantine/${key}` });
    expect(n.sms).toBe('碧水运维：文件…2023年7月报表.csv无法读取，已隔离：文件内容无法识别为监测数据');
    expect(n.email).toContain(`文件：s3://raw/${key}`);
    // exactly 14 characters: shown whole
    expect(quarantinedNotice({ bucket: 'raw', key: 'x/abcdefghij.csv', reason: 'x' }).sms).toContain('文件abcdefghij.csv无法读取');
    expect(quarantinedNotice({ bucket: 'raw', key: 'x/abcdefghijk.csv', reason: 'x' }).sms).toContain('文件…cdefghijk.csv无法读取');
  });
});

describe('too many rejected rows', () => {
  it('counts, the first 20 rejected lines and 等 when there are more, where the reasons are', () => {
    const n = rejectedRowsNotice({ bucket: 'raw', key: 'incoming/a.csv', accepted: 3, rejected: 21, reason: '', lines: Array.from({ length: 21 }, (_, i) => i + 2) });
    expect(n.subject).toBe('【碧水】监测文件中被拒绝的行过多');
    expect(n.default).toBe('监测文件中被拒绝的行过多：s3://raw/incoming/a.csv，拒绝 21/24 行');
    expect(n.email).toBe([
      '【碧水】监测文件中被拒绝的行过多', '',
      '文件：s3://raw/incoming/a.csv',
      '接收 3 行，拒绝 21 行（共 24 行）。',
      `被拒绝的行：${Array.from({ length: 20 }, (_, i) => `第${i + 2}行`).join('、')} 等。`,
      '每一行的拒绝原因（前 100 行）记录在文件台账中：npm run --silent bishui -- ingest 的输出或台账查询。',
      '常见原因：数值栏含文字、缺少站点或时间、时间格式无法识别、行的列数与表头不符。', '',
      '原始文件未被删除或修改。',
    ].join('\n'));
    expect(n.sms).toBe('碧水运维：文件a.csv拒绝21/24行，详见邮件。');
    expect(n.attributes).toEqual({ kind: 'ingest-failure', severity: 'info', ...unknown, problem: 'rejected-rows' });
  });

  it('20 rejected rows are listed whole; no lines known, no line list', () => {
    const twenty = rejectedRowsNotice({ bucket: 'raw', key: 'a.csv', accepted: 1, rejected: 20, reason: '', lines: Array.from({ length: 20 }, (_, i) => i + 2) });
    expect(twenty.email).toContain('、第21行。\n');
    const none = rejectedRowsNotice({ bucket: 'raw', key: 'a.csv', reason: '', site: 'sixinhe', town: '四新河流域责任镇' });
    expect(none.email.split('\n').slice(3, 5)).toEqual(['接收 0 行，拒绝 0 行（共 0 行）。', '每一行的拒绝原因（前 100 行）记录在文件台账中：npm run --silent bishui -- ingest 的输出或台账查询。']);
    expect(none.sms).toBe('碧水运维：文件a.csv拒绝0/0行，详见邮件。');
    expect(none.attributes).toMatchObject({ site: 'sixinhe', town: '四新河流域责任镇' });
  });
});

describe('a dead-lettered file', () => {
  it('why, the last technical error, what to check', () => {
    const n = deadLetterNotice({ bucket: 'raw', key: 'incoming/b.csv', reason: 'DynamoDB did not accept 25 items after 10 attempts' });
    expect(n.subject).toBe('【碧水】监测文件多次处理失败，已转入死信队列');
    expect(n.default).toBe('监测文件多次处理失败，已转入死信队列：s3://raw/incoming/b.csv，处理时反复出错');
    expect(n.email).toBe([
      '【碧水】监测文件多次处理失败，已转入死信队列', '',
      '文件：s3://raw/incoming/b.csv',
      '原因：处理时反复出错',
      '最后一次错误的技术细节（程序原文）：DynamoDB did not accept 25 items after 10 attempts',
      '请检查函数日志与 DynamoDB 容量，修复后从死信队列重新投递。', '',
      '原始文件未被删除或修改。',
    ].join('\n'));
    expect(n.sms).toBe('碧水运维：文件b.csv多次处理失败，已转入死信队列。');
    expect(n.attributes).toEqual({ kind: 'ingest-failure', severity: 'warning', ...unknown, problem: 'dead-letter' });
    expect(deadLetterNotice({ bucket: 'raw', key: 'b.csv', reason: 'x', reasonZh: '写入超时' }).default).toBe('监测文件多次处理失败，已转入死信队列：s3://raw/b.csv，写入超时');
  });
});

describe('an unregistered station close to a registered one', () => {
  it('names each near miss and the site it probably is, and how to register the name', () => {
    const n = nearMissNotice({ bucket: 'raw', key: 'incoming/c.csv', reason: '', nearMisses: [
      { name: '赵牛河自动站', site: 'zhaoniuhe', siteName: '赵牛河断面' }, { name: '小湄河站', site: 'xiaomeihe', siteName: '小湄河断面' },
    ] });
    expect(n.subject).toBe('【碧水】监测文件中有未登记的站点名称');
    expect(n.default).toBe('监测文件中有未登记的站点名称：s3://raw/incoming/c.csv，未登记站点 赵牛河自动站、小湄河站');
    expect(n.email).toBe([
      '【碧水】监测文件中有未登记的站点名称', '',
      '文件：s3://raw/incoming/c.csv',
      '站点「赵牛河自动站」未登记，是否为 赵牛河断面（zhaoniuhe）？如是，请把该名称加入 config/sites.json 中该站点的 aliases。',
      '站点「小湄河站」未登记，是否为 小湄河断面（xiaomeihe）？如是，请把该名称加入 config/sites.json 中该站点的 aliases。',
      '这些数据已按原名保存为未登记站点（按河流断面、目标 IV 类评价），不计入已登记站点的告警与月度考核，直到名称登记为别名。', '',
      '原始文件未被删除或修改。',
    ].join('\n'));
    expect(n.sms).toBe('碧水运维：文件c.csv中站点「赵牛河自动站」未登记，疑为赵牛河断面，请补登别名。');
    expect(n.attributes).toEqual({ kind: 'ingest-failure', severity: 'info', ...unknown, problem: 'near-miss' });
  });

  it('names from a file are one line and bounded: 16 characters in the SMS', () => {
    const name = `赵牛河\n${'站'.repeat(40)}`;
    const n = nearMissNotice({ bucket: 'raw', key: 'c.csv', reason: '', nearMisses: [{ name, site: 'zhaoniuhe', siteName: '赵牛河断面' }] });
    expect(n.sms).toContain(`站点「赵牛河 ${'站'.repeat(11)}…」未登记`);
    expect(n.email).toContain(`站点「赵牛河 ${'站'.repeat(40)}」未登记`);
  });
});

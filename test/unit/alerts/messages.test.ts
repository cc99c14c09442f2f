/**
 * Messages people act on (issue 13, item 5) and text from files that cannot hurt (issue 10, item 6):
 * one message per site and reading naming every indicator over target, worst first, each with its
 * own class; severity from the worst; Chinese everywhere; numbers from the settings; SMS cut at a
 * boundary; names, keys and reasons from files cleaned and bounded before they reach SNS.
 */
import { describe, expect, it } from 'vitest';
import { publishInput } from '../../../shared/adapters/sns-publisher.js';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { indicatorSeverity } from '../../../shared/alerts/events.js';
import { deadLetterNotice, quarantinedNotice, rejectedRowsNotice } from '../../../shared/alerts/ingest-notices.js';
import { notificationFor, notificationsFor } from '../../../shared/alerts/messages.js';
import { applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import { checkSilence } from '../../../shared/alerts/silence.js';
import { MAX_ATTRIBUTE_CHARS, SMS_MAX_CHARS, SNS_MAX_MESSAGE_ATTRIBUTES, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT_CHARS } from '../../../shared/limits.js';
import type { Notification } from '../../../shared/ports/index.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { openMonitoringFile } from '../../../shared/parsers/read.js';
import { HOUR, T0, alertRig, at, hours, registry } from './helpers.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** English prose: a run of three or more Latin letters (units such as mg/L and pH are shorter). */
const ENGLISH = /[A-Za-z]{3,}/;

/** A manual sample at 四新河 with six indicators over target (Grade IV). */
const sixOver = () => at('sixinhe', 10, { CODMn: 11.2, COD: 45, NH3N: 1.8, TP: 0.35, DO: 2.5, F: 1.6, pH: 7.6 }, {}, { source: { file: '四新河-人工监测.csv', line: 2 } });

describe('one message per site and reading', () => {
  it('a manual sample with six indicators over target is one message naming all six, worst first — not six', async () => {
    const rig = alertRig();
    await rig.engine.onStored([sixOver()]);
    expect(rig.publisher.sent).toHaveLength(1);
    const [n] = rig.publisher.sent;
    expect(n!.attributes).toMatchObject({ kind: 'exceedance', severity: 'critical', site: 'sixinhe' });
    expect([...(n!.attributes.param as string[])].sort()).toEqual(['COD', 'CODMn', 'DO', 'F', 'NH3N', 'TP']);
    // worst first: the 劣V indicators (COD 45 > 40; F 1.6 > 1.5), larger multiple first, then the Class V ones
    expect(n!.attributes.param).toEqual(['COD', 'F', 'NH3N', 'TP', 'CODMn', 'DO']);
    for (const name of ['化学需氧量', '氟化物', '氨氮', '总磷', '高锰酸盐指数', '溶解氧']) expect(n!.email).toContain(name);
    expect([...n!.sms].length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(n!.sms).toMatch(/^四新河出境断面7月1日10时超标：化学需氧量45mg\/L（劣V类，超标0\.50倍）/);
    expect(n!.sms).toMatch(/等6项，请核查。$/);
  });

  it('shows each indicator\'s own class (高锰酸盐指数 11.2 is Class V), the sample\'s grade only where it says so', () => {
    const [event] = applySamples(emptyState(), registry.resolve('sixinhe'), [sixOver()], DEFAULT_ALERT_CONFIG).events;
    const n = notificationFor(event!, registry.resolve('sixinhe'));
    expect(n.email).toMatch(/高锰酸盐指数（CODMn）：11\.2mg\/L，新超标\n.*该指标水质类别：V类；超标倍数：0\.12/);
    expect(n.email).toContain('本次样品水质类别（取最差指标）：劣V');
    expect(n.email).not.toMatch(/11\.2[^\n]*劣V/);
    expect(n.default).toContain('高锰酸盐指数11.2mg/L（V类，超标0.12倍）');
  });

  it('is critical only for an indicator in 劣V or at a multiple of 1 or more', async () => {
    expect(indicatorSeverity({ cls: 'V', multiple: 0.12 })).toBe('warning');
    expect(indicatorSeverity({ cls: 'V', multiple: 0.99 })).toBe('warning');
    expect(indicatorSeverity({ cls: 'V', multiple: 1 })).toBe('critical');
    expect(indicatorSeverity({ cls: '劣V', multiple: 0.05 })).toBe('critical');
    expect(indicatorSeverity({ cls: 'V', multiple: null })).toBe('warning');
    const rig = alertRig();
    await rig.engine.onStored([at('sixinhe', 0, { CODMn: 11.2, COD: 18 })]); // the sample's grade is V, multiple 0.12
    expect(rig.publisher.sent.map((n) => [n.attributes.severity, n.sms])).toEqual([['warning', '四新河出境断面7月1日00时超标：高锰酸盐指数11.2mg/L（V类，超标0.12倍），请核查。']]);
  });

  it('an indicator moving into 劣V is news (an update at once); one still in its episode is named beside it', () => {
    const events = applySamples(emptyState(), registry.resolve('sixinhe'), [
      at('sixinhe', 0, { NH3N: 1.6, COD: 33 }), at('sixinhe', 1, { NH3N: 2.1, COD: 33 }), at('sixinhe', 2, { NH3N: 2.1, COD: 33 }),
    ], DEFAULT_ALERT_CONFIG).events;
    expect(events.map((e) => e.kind === 'exceedance' && e.items.map((i) => `${i.exceedance.param}:${i.phase}:${i.cls}`))).toEqual([
      ['COD:opened:V', 'NH3N:opened:V'],
      ['NH3N:worse:劣V', 'COD:ongoing:V'],
    ]);
  });

  it('recoveries of one reading are one message too', () => {
    const s = hours('zhaoniuhe', 0, 5, (h) => (h === 0 ? { TP: 0.35, DO: 2.5 } : { TP: 0.2, DO: 6 }));
    const notes = notificationsFor(applySamples(emptyState(), registry.resolve('zhaoniuhe'), s, DEFAULT_ALERT_CONFIG).events, registry.resolve('zhaoniuhe'));
    expect(notes.map((n) => n.attributes.kind)).toEqual(['exceedance', 'recovery']);
    expect(notes[1]!.sms).toBe('赵牛河断面总磷、溶解氧已恢复达标，截至7月1日03时连续3次达标，超标自7月1日00时起。');
  });
});

describe('every text is Chinese, with the numbers the settings hold', () => {
  const site = registry.resolve('sixinhe');
  const every = (): Notification[] => [
    ...notificationsFor(applySamples(emptyState(), site, hours('sixinhe', 0, 30, (h) => ({ COD: h === 2 ? 36 : h === 3 ? 0.5 : 20 + (h % 3), NH3N: 0.5 })), DEFAULT_ALERT_CONFIG).events, site),
    notificationFor({ kind: 'fluctuation', site: 'sixinhe', day: '2023-07-15', mainSeason: true, inWindow: true, cwqi: 7.3, baseline: 5.6, previous: 5.4, vsBaseline: 0.31, dayOnDay: 0.35, grade: 'V', previousGrade: 'IV', baselineGrade: 'IV', reasons: ['baseline', 'day-on-day', 'grade'], drivers: [{ param: 'NH3N', from: 0.6, to: 1.1 }] }, site),
    ...checkSilence(emptyState(), 'sixinhe', T0, T0 + 80 * HOUR, DEFAULT_ALERT_CONFIG).events.map((e) => notificationFor(e, site)),
  ];

  it('SMS and default texts of every alert kind hold no English', () => {
    const all = every();
    expect(new Set(all.map((n) => n.attributes.kind))).toEqual(new Set(['exceedance', 'recovery', 'suspect-data', 'fluctuation']));
    for (const n of all) {
      expect(n.sms, n.sms).not.toMatch(ENGLISH);
      expect(n.default, n.default).not.toMatch(ENGLISH);
      expect(n.subject, n.subject).not.toMatch(ENGLISH);
    }
  });

  it('operations notices say why in Chinese; the parser\'s English stays out of SMS, subject and default', async () => {
    const reasons: { reason: string; reasonZh?: string }[] = [];
    const bodies = ['%PDF-1.7', '', 'name,phone\nLi,123\n', '<html></html>', 'ab\u0000cd'].map((b) => new TextEncoder().encode(b));
    for (const body of [...bodies, Uint8Array.of(0x1f, 0x8b, 1, 2, 3)]) {
      try {
        const opened = await openMonitoringFile((async function* () { yield body; })(), 'x.csv', { registry });
        for await (const _ of opened.batches) { /* read through */ }
      } catch (err) {
        if (!(err instanceof FileRejectedError)) throw err;
        reasons.push({ reason: err.reason, ...(err.reasonZh ? { reasonZh: err.reasonZh } : {}) });
      }
    }
    expect(reasons).toHaveLength(6);
    for (const r of reasons) {
      expect(r.reasonZh, r.reason).toMatch(/[\u4e00-\u9fff]/); // every throw site gives a Chinese reason
      const n = quarantinedNotice({ bucket: 'raw', key: 'incoming/站点导出-七月.csv', quarantineKey: 'quarantine/incoming/站点导出-七月.csv', ...r });
      // the file's S3 path and name and format names (CSV, JSON, HJ 212…) are names, not English
      for (const text of [n.sms, n.subject, n.default]) expect(text.replace(/s3:\/\/[^，]+|NDJSON|JSON|CSV|HJ 212|XML|HTML|gzip|\.csv|\.xlsx/g, ''), text).not.toMatch(ENGLISH);
      expect(n.sms).not.toContain('（应为'); // the SMS keeps the reason, not the advice
      expect(n.email).toContain(r.reasonZh);
    }
    // no Chinese reason known: a Chinese fallback, still no English
    const fallback = quarantinedNotice({ bucket: 'raw', key: 'incoming/a.csv', reason: 'is not monitoring data: no a site column (e.g. 断面名称, 站点名称, site) — and the file name names no registered site' });
    expect(fallback.sms).toBe('碧水运维：文件a.csv无法读取，已隔离：文件内容无法识别为监测数据');
    for (const n of [fallback, rejectedRowsNotice({ bucket: 'raw', key: 'incoming/a.csv', accepted: 3, rejected: 9, reason: '', lines: [2, 3] }), deadLetterNotice({ bucket: 'raw', key: 'incoming/a.csv', reason: 'DynamoDB did not accept 25 items after 10 attempts' })]) {
      expect(n.sms.replace('a.csv', ''), n.sms).not.toMatch(ENGLISH);
      expect(n.subject).not.toMatch(ENGLISH);
    }
  });

  it('quotes the settings it applies: the recovery streak and the reminder interval', () => {
    const config = { ...DEFAULT_ALERT_CONFIG, recoveryStreak: 5, reminderHours: 12 };
    const events = applySamples(emptyState(), site, hours('sixinhe', 0, 8, (h) => ({ COD: h === 0 ? 36 : 20 })), config).events;
    const [exceedance, recovery] = notificationsFor(events, site, undefined, config);
    expect(exceedance!.email).toContain('连续 5 次有效监测达标后将发送恢复通知；超标持续期间每 12 小时提醒一次。');
    expect(exceedance!.email).not.toContain('连续 3 次');
    expect(recovery!.sms).toContain('连续5次达标');
  });
});

describe('text from files is untrusted', () => {
  const hostile = `=HYPERLINK("http://evil.example/x","点击")\n\u001b[31m红色\u0007\r\n${'长'.repeat(10_000)}`;
  const emoji = `🌊🌊🌊🌊🌊站${'🌊'.repeat(40)}`; // outside the BMP: two UTF-16 units each

  function check(n: Notification): void {
    const input = publishInput(n, 'arn:aws:sns:cn-north-1:123456789012:bishui-alerts');
    expect(input.Subject!.length).toBeLessThanOrEqual(SNS_MAX_SUBJECT_CHARS);
    expect(input.Subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect([...n.sms].length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    for (const text of [n.sms, n.default, n.email]) expect(text).not.toMatch(CONTROL);
    expect(n.sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS); // UTF-16 units, as one UCS-2 segment counts them
    const attributes = Object.entries(input.MessageAttributes!);
    expect(attributes.length).toBeLessThanOrEqual(SNS_MAX_MESSAGE_ATTRIBUTES);
    for (const [, a] of attributes) expect(a.StringValue!.length).toBeLessThanOrEqual(MAX_ATTRIBUTE_CHARS);
    const attributeBytes = attributes.reduce((sum, [k, a]) => sum + Buffer.byteLength(k) + Buffer.byteLength(a.DataType!) + Buffer.byteLength(a.StringValue!), 0);
    expect(Buffer.byteLength(input.Message!) + Buffer.byteLength(input.Subject!) + attributeBytes).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
  }

  it('an unregistered station\'s name is cleaned, cut, quoted and marked 未登记 — in subject, SMS and email', async () => {
    const rig = alertRig();
    await rig.engine.onStored([at(hostile, 0, { COD: 36 }, {}, { registered: false })]);
    const [n] = rig.publisher.sent;
    check(n!);
    expect(n!.sms).toMatch(/^“=HYPERLI…”（未登记）7月1日00时超标：化学需氧量36mg\/L/);
    expect(n!.subject).toMatch(/^【碧水】“.*”（未登记） 化学需氧量超标$/);
    expect(n!.email).toContain('（未登记）');
    expect(n!.email).not.toContain('长'.repeat(200));
  });

  it('a name of characters outside the BMP still makes one SMS segment, none split', async () => {
    const rig = alertRig();
    await rig.engine.onStored([at(emoji, 0, { COD: 36, NH3N: 2.4, TP: 0.5 }, {}, { registered: false })]);
    const [n] = rig.publisher.sent;
    check(n!);
    expect(n!.sms).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it('a hostile key or reason in an operations notice', () => {
    const p = { bucket: 'raw', key: `incoming/${hostile}.csv`, reason: hostile, reasonZh: hostile, quarantineKey: `quarantine/incoming/${hostile}.csv` };
    for (const n of [quarantinedNotice(p), rejectedRowsNotice({ ...p, accepted: 1, rejected: 5 }), deadLetterNotice(p)]) check(n);
  });
});

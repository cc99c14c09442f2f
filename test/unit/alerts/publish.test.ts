/** Publishing at the SDK boundary (aws-sdk-client-mock): structure, attributes, one SMS segment. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsPublisher } from '../../../shared/adapters/sns-publisher.js';
import { quarantinedNotice, rejectedRowsNotice, deadLetterNotice } from '../../../shared/alerts/ingest-notices.js';
import { notificationFor } from '../../../shared/alerts/messages.js';
import { smsText } from '../../../shared/alerts/sms.js';
import { SMS_MAX_CHARS } from '../../../shared/limits.js';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import type { Notification } from '../../../shared/ports/index.js';
import { hours, registry } from './helpers.js';

const sns = mockClient(SNSClient);
const topics = { alerts: 'arn:aws:sns:cn-north-1:123456789012:bishui-prod-alerts', operations: 'arn:aws:sns:cn-north-1:123456789012:bishui-prod-operations' };

/** One notification of every kind the rules produce. */
function everyKind(): Notification[] {
  const s = (site: string, samples: ReturnType<typeof hours>) => applySamples(emptyState(), registry.resolve(site), samples, DEFAULT_ALERT_CONFIG).events.map((e) => notificationFor(e, registry.resolve(site)));
  const long = '高新瀚海污水处理厂出水';
  return [
    ...s('sixinhe', hours('sixinhe', 0, 8, (h) => ({ COD: h === 2 ? 36 : h === 3 ? 0.5 : 20 + (h % 3) }))), // exceedance, near-zero, recovery
    ...s('hanhai-stp', hours('hanhai-stp', 0, 30, (h) => ({ NH3N: h < 2 ? 0.5 + h / 10 : 2.4 + (h % 3) / 10, COD: 20 + (h % 4), TP: 0.2 }))),
    ...s('xiaomeihe', hours('xiaomeihe', 0, 14, () => ({ NH3N: 0.575 }))), // flat line
    ...s('zhaoniuhe', [...hours('zhaoniuhe', 0, 2, (h) => ({ TP: 0.1 + h / 100 })), ...hours('zhaoniuhe', 12, 1, () => ({ TP: 0.1 }))]), // gap
    notificationFor({ kind: 'fluctuation', site: 'sixinhe', day: '2023-07-15', mainSeason: true, inWindow: true, cwqi: 7.3, baseline: 5.6, previous: 5.4, vsBaseline: 0.31, dayOnDay: 0.35, grade: 'V', previousGrade: 'IV', baselineGrade: 'IV', reasons: ['baseline', 'day-on-day', 'grade'], drivers: [{ param: 'NH3N', from: 0.6, to: 1.1 }, { param: 'TP', from: 0.9, to: 1.4 }] }, registry.resolve('sixinhe')),
    quarantinedNotice({ bucket: 'raw', key: `incoming/${long}-非常长的文件名称-2023年7月报表.pdf`, reason: 'is a PDF document, not monitoring data (expected CSV, JSON, NDJSON or an HJ 212 log)', quarantineKey: 'quarantine/incoming/x.pdf' }),
    rejectedRowsNotice({ bucket: 'raw', key: 'incoming/a.csv', accepted: 3, rejected: 9, reason: "第2行 column 'COD' is not a number: 'abc'" }),
    deadLetterNotice({ bucket: 'raw', key: 'incoming/b.csv', reason: 'DynamoDB did not accept 25 items after 10 attempts' }),
  ];
}

describe('SNS publishing', () => {
  beforeEach(() => sns.reset());

  it('sends MessageStructure json with default, email and sms, and filterable attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const publisher = new SnsPublisher(new SNSClient({ region: 'cn-north-1' }), topics);
    const all = everyKind();
    for (const n of all) await publisher.publish(n);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(all.length);
    const kinds = new Set<string>();
    for (const [i, call] of calls.entries()) {
      const input = call.args[0].input;
      expect(input.TopicArn).toBe(topics[all[i]!.topic]);
      expect(input.MessageStructure).toBe('json');
      const body = JSON.parse(input.Message!);
      expect(Object.keys(body).sort()).toEqual(['default', 'email', 'sms']);
      expect(body.sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(body.email).toMatch(/^【碧水】/);
      const attrs = input.MessageAttributes!;
      expect(Object.keys(attrs).filter((k) => k !== 'problem').sort()).toEqual(['kind', 'param', 'severity', 'site', 'town']);
      for (const a of Object.values(attrs)) {
        expect(['String', 'String.Array']).toContain(a.DataType);
        expect(a.StringValue!.length).toBeGreaterThan(0);
      }
      expect(['info', 'warning', 'critical']).toContain(attrs.severity!.StringValue);
      kinds.add(attrs.kind!.StringValue!);
    }
    expect([...kinds].sort()).toEqual(['exceedance', 'fluctuation', 'ingest-failure', 'recovery', 'suspect-data']);
  });

  it('regulatory alerts go to alerts, suspect data and ingest problems to operations', () => {
    for (const n of everyKind()) {
      const expected = ['suspect-data', 'ingest-failure'].includes(n.attributes.kind as string) ? 'operations' : 'alerts';
      expect(n.topic, n.subject).toBe(expected);
    }
  });

  it('the exceedance email carries site, time, indicator, value, limit, class, multiple, trend and what to check', () => {
    const e = everyKind().find((n) => n.attributes.kind === 'exceedance')!;
    expect(e.attributes).toMatchObject({ site: 'sixinhe', param: 'COD', kind: 'exceedance' });
    for (const part of ['四新河出境断面', '监测时间：2023-07-01 02:00', '化学需氧量', '36mg/L', 'IV类标准 30mg/L', '该指标水质类别：V类', '本次样品水质类别（取最差指标）：V', '超标倍数：0.20', '近期变化', '请核查']) {
      expect(e.email).toContain(part);
    }
  });

  it('cuts an over-long SMS to one segment with an ellipsis', () => {
    const text = '四新河出境断面'.repeat(20);
    const cut = smsText(text);
    expect(cut.length).toBe(SMS_MAX_CHARS);
    expect(cut.endsWith('…')).toBe(true);
    expect(smsText('短信')).toBe('短信');
  });

  it('cuts an SMS at a field or word boundary, never inside a word or a number', () => {
    /** The cut text is the original up to a boundary (or punctuation right before one), then the ellipsis. */
    const cutAtBoundary = (original: string, cut: string) => {
      expect([...cut].length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(cut.endsWith('…')).toBe(true);
      const body = cut.slice(0, -1);
      expect(original.startsWith(body)).toBe(true);
      expect(original.slice(body.length)).toMatch(/^[，、；：。 ,;:.]/);
    };
    const fields = Array.from({ length: 12 }, (_, i) => `化学需氧量${31.9 + i}mg/L`).join('，');
    cutAtBoundary(`四新河出境断面超标：${fields}`, smsText(`四新河出境断面超标：${fields}`));
    const english = `碧水运维：文件x.csv无法读取已隔离：${'is not monitoring data: no a site column '.repeat(4)}`;
    cutAtBoundary(english, smsText(english));
  });
});

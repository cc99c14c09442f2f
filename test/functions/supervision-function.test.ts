/**
 * The supervision Lambda entry point itself, cold-started from its environment: months of data go in
 * through the ingest function (s3rver → handler → dynalite), then the supervision function, invoked
 * on demand and as its schedule invokes it, writes the month's documents under reports/YYYY-MM/ in
 * s3rver and publishes one message to alerts (SNS mocked at the SDK boundary).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupervisionResult } from '../../functions/supervision/handler.js';
import { LOCAL_BUCKET, localS3Client } from '../../local/runtime/emulators.js';
import { daysInMonth } from '../../shared/domain/months.js';
import { TOPICS, coldStart, sqsEventFor, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const env = useFunctionEnvironment();
type Ingest = { handler: (e: SQSEvent) => Promise<unknown> };
type Supervision = { handler: (e: unknown) => Promise<SupervisionResult> };

const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';
const MONTHS = ['2023-05', '2023-06', '2023-07'];
/** One reading a day, every day (the sections are online stations: 20 days make a month). */
const rows = (name: string, cod: (month: string) => number) => MONTHS.flatMap((m) =>
  Array.from({ length: daysInMonth(m) }, (_, d) => `${name},${m}-${String(d + 1).padStart(2, '0')} 08:00,${cod(m)},0.5`));

async function s3<T>(f: (c: ReturnType<typeof localS3Client>) => Promise<T>): Promise<T> {
  const c = localS3Client(env.emulators().s3Endpoint);
  try { return await f(c); } finally { c.destroy(); }
}

async function ingest(key: string, lines: string[]): Promise<void> {
  const put = await s3((c) => c.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: [HEADER, ...lines].join('\n') })));
  const { handler } = await coldStart<Ingest>('../../functions/ingest/handler.js');
  // the event names the version (here its ETag), as S3's does: a corrected re-upload is a new version
  expect(await handler(sqsEventFor(key, { eTag: put.ETag!.replace(/"/g, '') }) as SQSEvent)).toEqual({ batchItemFailures: [] });
}

const reportKeys = (month: string) => s3(async (c) => ((await c.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET, Prefix: `reports/${month}/` }))).Contents ?? []).map((o) => o.Key).sort());
const object = (key: string) => s3(async (c) => {
  const r = await c.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return { type: r.ContentType, bytes: Buffer.from(await r.Body!.transformToByteArray()) };
});
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('functions/supervision/handler.ts, cold-started from its environment', () => {
  beforeAll(async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    // 赵牛河 over Grade IV (COD > 30) in June and July → 约谈分管负责人; 小湄河 in July only → 提醒函; 四新河 within
    await ingest('incoming/赵牛河断面.csv', rows('赵牛河断面', (m) => (m === '2023-05' ? 20 : 34)));
    await ingest('incoming/小湄河断面.csv', rows('小湄河断面', (m) => (m === '2023-07' ? 31 : 18)));
    await ingest('incoming/四新河出境断面.csv', rows('四新河出境断面', () => 18));
  }, 120_000);
  beforeEach(() => { sns.reset(); sns.on(PublishCommand).resolves({ MessageId: 'm' }); });

  it('on demand { month }: the documents under reports/2023-07/ in the bucket, and one message to alerts naming them', async () => {
    const { handler } = await coldStart<Supervision>('../../functions/supervision/handler.js');
    const result = await handler({ month: '2023-07' });
    const letters = ['reports/2023-07/letters/01-约谈通知-分管负责人-赵牛河流域责任镇.docx', 'reports/2023-07/letters/02-提醒函-小湄河流域责任镇.docx'];
    expect(result).toEqual({
      month: '2023-07', files: { html: 'reports/2023-07/bulletin.html', json: 'reports/2023-07/bulletin.json', letters }, removed: [], severity: 'warning',
    });
    expect(await reportKeys('2023-07')).toEqual(['reports/2023-07/bulletin.html', 'reports/2023-07/bulletin.json', ...letters]);

    const html = await object('reports/2023-07/bulletin.html');
    expect(html.type).toBe('text/html; charset=utf-8');
    expect(html.bytes.toString('utf8')).toContain('高新区2023年7月地表水环境质量通报');
    const json = await object('reports/2023-07/bulletin.json');
    expect(json.type).toBe('application/json; charset=utf-8');
    const bulletin = JSON.parse(json.bytes.toString('utf8'));
    expect(bulletin.files).toEqual(result.files);
    expect(bulletin.towns.map((t: { town: string; action: string }) => [t.town, t.action])).toEqual(expect.arrayContaining([
      ['赵牛河流域责任镇', 'interview-deputy'], ['小湄河流域责任镇', 'reminder-letter'], ['四新河流域责任镇', 'none'],
    ]));
    for (const key of letters) {
      const letter = await object(key);
      expect(letter.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(letter.bytes.subarray(0, 2).toString()).toBe('PK');
    }

    const messages = published();
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expect(m.TopicArn).toBe(TOPICS.alerts);
    expect(m.MessageStructure).toBe('json');
    expect(Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]))).toEqual({
      kind: 'supervision', severity: 'warning', site: 'all', town: 'all', param: 'none', month: '2023-07',
    });
    const body = JSON.parse(m.Message as string) as { default: string; email: string; sms: string };
    for (const key of [result.files.html, result.files.json, ...letters]) expect(body.email).toContain(`s3://${LOCAL_BUCKET}/${key}`);
    expect(body.email).toMatch(/赵牛河流域责任镇（赵牛河断面）：连续 2 个月超标 → 约谈分管负责人/);
    expect(body.sms.length).toBeLessThanOrEqual(70);
    expect(body.sms).toMatch(/^碧水2023年7月通报：.*超标断面2个，约谈分管负责人1镇、提醒函1镇。详见邮件。$/);
  });

  it('as scheduled on 2 August, 09:00 Shanghai: July again, and a letter no longer needed is removed', async () => {
    // 小湄河's July export is corrected: within Grade IV now
    await ingest('incoming/小湄河断面.csv', rows('小湄河断面', () => 18));
    const { handler } = await coldStart<Supervision>('../../functions/supervision/handler.js');
    const result = await handler({ scheduledTime: '2023-08-02T01:00:00Z' });
    expect(result.month).toBe('2023-07');
    expect(result.files.letters).toEqual(['reports/2023-07/letters/01-约谈通知-分管负责人-赵牛河流域责任镇.docx']);
    expect(result.removed).toEqual(['reports/2023-07/letters/02-提醒函-小湄河流域责任镇.docx']);
    expect(await reportKeys('2023-07')).toEqual(['reports/2023-07/bulletin.html', 'reports/2023-07/bulletin.json', ...result.files.letters]);
    expect(published()).toHaveLength(1);
  });

  it('a bad month fails the invocation with one clear error, writing and publishing nothing', async () => {
    const { handler } = await coldStart<Supervision>('../../functions/supervision/handler.js');
    await expect(handler({ month: '2023-7' })).rejects.toThrow(/^supervision event is not valid: month: "2023-7" is not a month \(expected YYYY-MM, e\.g\. 2023-07\)/);
    expect(await reportKeys('2023-7')).toEqual([]);
    expect(published()).toEqual([]);
  });
});

/**
 * The ingest Lambda entry point itself: environment → configuration → composition root → handler,
 * on s3rver and dynalite, SNS mocked at the SDK boundary. The wiring that ships is the wiring tested.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { DynamoSampleStore } from '../../shared/adapters/dynamo/sample-store.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient, localS3Client } from '../../local/runtime/emulators.js';
import { collect } from '../helpers/pipeline.js';
import { TOPICS, coldStart, sqsEventFor, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const env = useFunctionEnvironment();
type Handler = { handler: (e: SQSEvent, context?: { getRemainingTimeInMillis(): number }) => Promise<SQSBatchResponse> };

async function upload(key: string, body: string): Promise<void> {
  const s3 = localS3Client(env.emulators().s3Endpoint);
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: body }));
  s3.destroy();
}

const published = (topic: string) => sns.commandCalls(PublishCommand).map((c) => c.args[0].input).filter((i) => i.TopicArn === topic);

describe('functions/ingest/handler.ts, cold-started from its environment', () => {
  beforeEach(() => { sns.reset(); sns.on(PublishCommand).resolves({ MessageId: 'm' }); });

  it('stores a dropped file\'s samples and announces its exceedance on the alerts topic', async () => {
    const key = 'incoming/四新河 2023-07.csv';
    await upload(key, '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)\n四新河,2023-07-15 08:00,35,0.8\n四新河,2023-07-15 09:00,25,0.5\n');
    const { handler } = await coldStart<Handler>('../../functions/ingest/handler.js');
    expect(await handler(sqsEventFor(key) as SQSEvent)).toEqual({ batchItemFailures: [] });

    const doc = documentClient(localDynamoClient(env.emulators().dynamoEndpoint));
    const stored = await collect(new DynamoSampleStore(doc, LOCAL_TABLE).querySite('sixinhe'));
    expect(stored.map((s) => s.sample.values.COD)).toEqual([35, 25]);
    expect(await new DynamoFileLedger(doc, LOCAL_TABLE).get(`${LOCAL_BUCKET}/${key}`)).toMatchObject({ status: 'done', accepted: 2 });
    doc.destroy();
    const alerts = published(TOPICS.alerts);
    expect(alerts.length).toBeGreaterThan(0);
    expect(JSON.parse(alerts[0]!.Message as string).sms).toContain('化学需氧量');
  });

  it('quarantines a file that is not monitoring data and tells operations', async () => {
    const key = 'incoming/report.pdf';
    await upload(key, '%PDF-1.7 not a monitoring export');
    const { handler } = await coldStart<Handler>('../../functions/ingest/handler.js');
    expect(await handler(sqsEventFor(key) as SQSEvent)).toEqual({ batchItemFailures: [] });
    const ops = published(TOPICS.operations);
    expect(ops).toHaveLength(1);
    expect(ops[0]!.MessageAttributes?.kind?.StringValue).toBe('ingest-failure');
  });

  it('refuses to start without its configuration, naming what is missing', async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(coldStart<Handler>('../../functions/ingest/handler.js')).rejects.toThrow(/TABLE_NAME/);
    } finally {
      process.env.TABLE_NAME = saved;
    }
  });
});

describe('functions/ingest/handler.ts: a file longer than an invocation', () => {
  const QUEUE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/bishui-ingest';
  const sentBodies = () => sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
  /** An invocation as Lambda starts it, with no time to spare: it hands on after one write chunk. */
  const outOfTime = { getRemainingTimeInMillis: () => 0 };
  const record = (body: string, id: string) => ({ ...sqsEventFor('x').Records[0]!, messageId: id, body });
  const rows = (n: number) => ['断面名称,监测时间,化学需氧量(mg/L)', ...Array.from({ length: n }, (_, i) =>
    `小湄河,2023-08-${String(1 + Math.floor(i / 1440)).padStart(2, '0')} ${String(Math.floor((i % 1440) / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${15 + (i % 9)}`)].join('\n');

  beforeEach(() => {
    sns.reset(); sns.on(PublishCommand).resolves({ MessageId: 'm' });
    sqs.reset(); sqs.on(SendMessageCommand).resolves({ MessageId: 'q' });
    process.env.INGEST_QUEUE_URL = QUEUE_URL;
    process.env.HANDOFF_RESERVE_SECONDS = '30';
  });
  afterEach(() => {
    delete process.env.INGEST_QUEUE_URL;
    delete process.env.HANDOFF_RESERVE_SECONDS;
  });

  it('hands the rest to its own queue (a continuation message) until the file is done, each invocation a cold start', async () => {
    const key = 'incoming/小湄河-2023-08-长.csv';
    await upload(key, rows(1600));
    let event = sqsEventFor(key) as SQSEvent;
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { handler } = await coldStart<Handler>('../../functions/ingest/handler.js');
      expect(await handler(event, outOfTime)).toEqual({ batchItemFailures: [] });
      const sent = sentBodies();
      if (sent.length === outcomes.length) break;
      outcomes.push('continued');
      const last = sent.at(-1)!;
      expect(last.QueueUrl).toBe(QUEUE_URL);
      expect(JSON.parse(last.MessageBody as string)).toMatchObject({ kind: 'bishui:continue', object: { key }, handoff: expect.any(String) });
      event = { Records: [record(last.MessageBody as string, `c-${i}`)] } as SQSEvent;
    }
    expect(outcomes).toHaveLength(3); // 1,600 samples: three hand-ons after 500 each, the fourth invocation finishes
    const doc = documentClient(localDynamoClient(env.emulators().dynamoEndpoint));
    const entry = await new DynamoFileLedger(doc, LOCAL_TABLE).get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'done', accepted: 1600, continuations: 3 });
    expect(entry?.checkpoint).toBeUndefined();
    expect(await collect(new DynamoSampleStore(doc, LOCAL_TABLE).fileSamples(`${LOCAL_BUCKET}/${key}`))).toHaveLength(1600);
    doc.destroy();
  });

  it('puts a message back on the queue, as it came, when the batch has no time left for it', async () => {
    const [long, small] = ['incoming/小湄河-长-2.csv', 'incoming/小湄河-短.csv'];
    await upload(long, rows(800));
    await upload(small, rows(3));
    const second = record(sqsEventFor(small).Records[0]!.body, 'm-small');
    const { handler } = await coldStart<Handler>('../../functions/ingest/handler.js');
    const batch = { Records: [sqsEventFor(long).Records[0]!, second] } as SQSEvent;
    expect(await handler(batch, outOfTime)).toEqual({ batchItemFailures: [] });
    const bodies = sentBodies().map((i) => i.MessageBody);
    expect(bodies).toHaveLength(2);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ kind: 'bishui:continue', object: { key: long } });
    expect(bodies[1]).toBe(second.body); // untouched: a fresh invocation reads it
  });

  it('a continuation message that is not a valid one fails, naming what is wrong', async () => {
    const { handler } = await coldStart<Handler>('../../functions/ingest/handler.js');
    const bad = { Records: [record(JSON.stringify({ kind: 'bishui:continue', object: { bucket: LOCAL_BUCKET } }), 'm-bad')] } as SQSEvent;
    expect(await handler(bad, outOfTime)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
  });
});

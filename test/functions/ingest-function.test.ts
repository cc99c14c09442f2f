/**
 * The ingest Lambda entry point itself: environment → configuration → composition root → handler,
 * on s3rver and dynalite, SNS mocked at the SDK boundary. The wiring that ships is the wiring tested.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { DynamoSampleStore } from '../../shared/adapters/dynamo/sample-store.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient, localS3Client } from '../../local/runtime/emulators.js';
import { collect } from '../helpers/pipeline.js';
import { TOPICS, coldStart, sqsEventFor, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const env = useFunctionEnvironment();
type Handler = { handler: (e: SQSEvent) => Promise<SQSBatchResponse> };

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

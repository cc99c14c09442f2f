/**
 * The watchdog Lambda entry point itself, cold-started from its environment, on the emulators; SNS
 * mocked. Data arrives as it does in AWS, through the ingest function (which records each
 * station's online readings); the watchdog then judges the stations and sweeps the outbox.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../shared/domain/time.js';
import { LOCAL_BUCKET, localS3Client } from '../../local/runtime/emulators.js';
import { TOPICS, coldStart, sqsEventFor, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const env = useFunctionEnvironment();
type Ingest = { handler: (e: SQSEvent) => Promise<SQSBatchResponse> };
type Watchdog = { handler: () => Promise<{ stations: number; silent: string[]; published: number }> };

/** Six hourly rows of a station export for 赵牛河 ending `endsAgo` ms ago, the last one over target (COD 35). */
async function ingestStationExport(key: string, endsAgo: number): Promise<SQSBatchResponse> {
  const end = Math.floor((Date.now() - endsAgo) / 3_600_000) * 3_600_000;
  const rows = [5, 4, 3, 2, 1, 0].map((h, i) => `赵牛河断面,${formatInstant(end - h * 3_600_000).slice(0, 16).replace('T', ' ')},${i === 5 ? 35 : 20},0.5`);
  const s3 = localS3Client(env.emulators().s3Endpoint);
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: `断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)\n${rows.join('\n')}\n` }));
  s3.destroy();
  const { handler } = await coldStart<Ingest>('../../functions/ingest/handler.js');
  return handler(sqsEventFor(key) as SQSEvent);
}

const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('functions/watchdog/handler.ts, cold-started from its environment', () => {
  it('sends what SNS refused during ingest, and announces a station silent for days, to operations', async () => {
    sns.reset();
    sns.on(PublishCommand).rejects(new Error('Rate exceeded'));
    // SNS refuses: the file is still acknowledged — its exceedance waits in the outbox, not lost
    expect(await ingestStationExport('incoming/赵牛河断面-export.csv', 3 * 86_400_000)).toEqual({ batchItemFailures: [] });
    expect(published().filter((p) => p.TopicArn === TOPICS.alerts).length).toBeGreaterThan(0); // tried

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const { handler } = await coldStart<Watchdog>('../../functions/watchdog/handler.js');
    const result = await handler();
    expect(result.silent).toEqual(['zhaoniuhe']);
    const calls = published();
    const alerts = calls.filter((c) => c.TopicArn === TOPICS.alerts).map((c) => JSON.parse(c.Message as string).sms as string);
    const ops = calls.filter((c) => c.TopicArn === TOPICS.operations).map((c) => JSON.parse(c.Message as string).sms as string);
    expect(alerts).toEqual([expect.stringMatching(/赵牛河断面.*化学需氧量35mg\/L/)]);
    expect(ops).toEqual([expect.stringMatching(/赵牛河断面在线监测自.*起已3天无数据/)]);

    await handler(); // an hour later, nothing new: nothing sent twice
    expect(published()).toHaveLength(calls.length);
  });
});

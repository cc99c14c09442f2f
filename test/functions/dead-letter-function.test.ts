/**
 * The dead-letter Lambda entry point itself, cold-started from its environment, on dynalite; SNS
 * mocked at the SDK boundary. A dead-lettered file's ledger entry ends failed with the error its
 * last run recorded, and operations is told, at least once.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { NO_ERROR_RECORDED } from '../../shared/ingest/dead-letter.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient } from '../../local/runtime/emulators.js';
import { TOPICS, coldStart, sqsEventFor, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const env = useFunctionEnvironment();
type Handler = { handler: (e: SQSEvent) => Promise<SQSBatchResponse> };
const ENTRY = '../../functions/dead-letter/handler.js';

const ledger = () => new DynamoFileLedger(documentClient(localDynamoClient(env.emulators().dynamoEndpoint)), LOCAL_TABLE);
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('functions/dead-letter/handler.ts, cold-started from its environment', () => {
  beforeEach(() => { sns.reset(); sns.on(PublishCommand).resolves({ MessageId: 'm' }); });

  it('marks the entry failed with the last recorded error and tells operations', async () => {
    const key = 'incoming/四新河 导出.csv';
    const ref = { bucket: LOCAL_BUCKET, key, etag: 'e1' };
    const l = ledger();
    const lease = await l.acquire(ref, 'e1', Date.now(), 60_000);
    if (lease.outcome !== 'acquired') throw new Error('not acquired');
    await l.recordFailure(ref, 'e1', lease.holder, 'ProvisionedThroughputExceededException: slow down', Date.now());
    const { handler } = await coldStart<Handler>(ENTRY);
    expect(await handler(sqsEventFor(key, { eTag: 'e1' }) as SQSEvent)).toEqual({ batchItemFailures: [] });
    expect(await l.get(`${LOCAL_BUCKET}/${key}`, 'e1')).toMatchObject({ status: 'failed', error: 'ProvisionedThroughputExceededException: slow down', attempts: 1 });
    const calls = published();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ TopicArn: TOPICS.operations, MessageStructure: 'json' });
    expect(calls[0]!.MessageAttributes?.kind?.StringValue).toBe('ingest-failure');
    expect(JSON.parse(calls[0]!.Message as string).email).toMatch(/四新河 导出\.csv[\s\S]*slow down/);
  });

  it('a file that never got a ledger entry gets a failed one, with the fallback reason', async () => {
    const key = 'incoming/never-started.csv';
    const { handler } = await coldStart<Handler>(ENTRY);
    await handler(sqsEventFor(key, { eTag: 'e2' }) as SQSEvent);
    expect(await ledger().get(`${LOCAL_BUCKET}/${key}`, 'e2')).toMatchObject({ status: 'failed', error: NO_ERROR_RECORDED, attempts: 0 });
    expect(published()).toHaveLength(1);
  });

  it('a file that finished after all is left as it is and not announced', async () => {
    const key = 'incoming/finished.csv';
    const l = ledger();
    await l.complete({ fileId: `${LOCAL_BUCKET}/${key}`, bucket: LOCAL_BUCKET, key, version: 'e3', status: 'done', attempts: 2, receivedAt: new Date().toISOString(), accepted: 5 });
    const { handler } = await coldStart<Handler>(ENTRY);
    expect(await handler(sqsEventFor(key, { eTag: 'e3' }) as SQSEvent)).toEqual({ batchItemFailures: [] });
    expect(await l.get(`${LOCAL_BUCKET}/${key}`, 'e3')).toMatchObject({ status: 'done', accepted: 5 });
    expect(published()).toHaveLength(0);
  });

  it('when SNS fails, the notice is kept in the outbox (the dead letter is acknowledged); the next run sends it once', async () => {
    const key = 'incoming/sns-down.csv';
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' })).resolves({ MessageId: 'm' });
    const { handler } = await coldStart<Handler>(ENTRY);
    const event = sqsEventFor(key, { eTag: 'e4' }) as SQSEvent;
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await ledger().get(`${LOCAL_BUCKET}/${key}`, 'e4')).toMatchObject({ status: 'failed' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1); // refused: recorded, not lost
    expect(await handler(event)).toEqual({ batchItemFailures: [] }); // a redelivery records nothing twice, sends what waits
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2); // sent once
  });

  it('refuses to start without its configuration, naming what is missing', async () => {
    const saved = process.env.OPERATIONS_TOPIC_ARN;
    delete process.env.OPERATIONS_TOPIC_ARN;
    try {
      await expect(coldStart<Handler>(ENTRY)).rejects.toThrow(/OPERATIONS_TOPIC_ARN/);
    } finally {
      process.env.OPERATIONS_TOPIC_ARN = saved;
    }
  });
});

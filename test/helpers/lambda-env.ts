/**
 * Runs a Lambda entry point as Lambda does: its environment as the stack sets it (with the SDK's
 * endpoints pointed at the test's emulators), a fresh module load (cold start), then the handler.
 * SNS has no emulator: it is mocked at the SDK boundary by the caller.
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { LOCAL_BUCKET, LOCAL_TABLE, type Emulators, ensureTable, localDynamoClient, startEmulators } from '../../local/runtime/emulators.js';

export const TOPICS = {
  alerts: 'arn:aws-cn:sns:cn-north-1:000000000000:bishui-test-alerts',
  operations: 'arn:aws-cn:sns:cn-north-1:000000000000:bishui-test-operations',
} as const;

/** The function environment of the stack (infra/stack/bishui-stack.ts) on the emulators. */
export function functionEnv(emu: Emulators): Record<string, string> {
  return {
    TABLE_NAME: LOCAL_TABLE, ALERTS_TOPIC_ARN: TOPICS.alerts, OPERATIONS_TOPIC_ARN: TOPICS.operations, RAW_BUCKET: LOCAL_BUCKET,
    LEASE_SECONDS: '60', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: emu.s3Endpoint, AWS_ENDPOINT_URL_DYNAMODB: emu.dynamoEndpoint,
    POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Emulators and the function environment for the tests of one file; restores the environment after. */
export function useFunctionEnvironment(): { emulators: () => Emulators } {
  let emu: Emulators | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulators();
    const dynamo = localDynamoClient(emu.dynamoEndpoint);
    await ensureTable(dynamo);
    dynamo.destroy();
    Object.assign(process.env, functionEnv(emu));
  });
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await emu?.close();
  });
  return { emulators: () => emu as Emulators };
}

/** Imports an entry point afresh, as a new Lambda container would (its module-level wiring runs again). */
export async function coldStart<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(path)) as T;
}

/** An SQS event carrying one S3 ObjectCreated notification, the key URL-encoded as S3 encodes it. */
export function sqsEventFor(key: string, extra: { versionId?: string; eTag?: string; sequencer?: string } = {}) {
  const encoded = key.split('/').map((seg) => encodeURIComponent(seg).replace(/%20/g, '+')).join('/');
  const s3Event = { Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: LOCAL_BUCKET }, object: { key: encoded, ...extra } } }] };
  return {
    Records: [{
      messageId: `m-${key}`, receiptHandle: 'r', body: JSON.stringify(s3Event), attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's3', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:000000000000:bishui-ingest', awsRegion: 'cn-north-1',
    }],
  };
}

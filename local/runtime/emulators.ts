/**
 * The embedded AWS stand-ins: s3rver for S3 and dynalite for DynamoDB, on loopback ports, persisted
 * under the data dir (or in memory for tests). Creates the raw bucket and the table the CDK stack
 * would, with the same key schema. s3rver is guarded to refuse the keys S3 refuses (s3-guard.ts);
 * DynamoDB's limits are checked by the adapters themselves before anything is sent (item-size.ts),
 * since dynalite counts item sizes in UTF-16 units and checks no key length.
 */
import { mkdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { FILE_INDEX, TABLE_KEYS } from '../../shared/adapters/dynamo/table-design.js';
import { lockDataDir } from './runtime-file.js';
import { guardS3rver } from './s3-guard.js';

export const LOCAL_BUCKET = 'bishui-raw';
export const LOCAL_TABLE = 'bishui';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'us-east-1';

export interface Emulators {
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly s3rver: S3rver;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** Persist under this directory; in memory when absent. */
  readonly dataDir?: string;
  readonly s3Port?: number;
  readonly dynamoPort?: number;
}

/** A port the emulators were asked for is held by another process (another bishui start, or anything else). */
export class PortInUseError extends Error {
  constructor(readonly service: 'S3' | 'DynamoDB', readonly port: number) {
    super(`port ${port} (local ${service}) is in use`);
  }
}

/**
 * Fails with PortInUseError when `port` cannot be listened on. s3rver listens without an error
 * handler (a taken port would end the process with an 'error' event), so ports are tried first.
 */
async function checkPortFree(service: 'S3' | 'DynamoDB', port: number | undefined): Promise<void> {
  if (!port) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(service, port) : err));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  await checkPortFree('S3', options.s3Port);
  await checkPortFree('DynamoDB', options.dynamoPort);
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    return await startLocked(options, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function startLocked(options: EmulatorOptions, unlock: () => void): Promise<Emulators> {
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : join(mkTemp(), 's3');
  mkdirSync(s3Dir, { recursive: true });
  const s3rver = new S3rver({
    port: options.s3Port ?? 0, address: '127.0.0.1', silent: true, directory: s3Dir,
    configureBuckets: [{ name: LOCAL_BUCKET, configs: [] }],
  });
  guardS3rver(s3rver);
  const s3Info = await s3rver.run();
  const dyn = dynalite({
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
    createTableMs: 0, deleteTableMs: 0, updateTableMs: 0,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      dyn.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError('DynamoDB', options.dynamoPort ?? 0) : err));
      dyn.listen(options.dynamoPort ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await s3rver.close();
    throw err;
  }
  const dynPort = (dyn.address() as AddressInfo).port;
  return {
    s3Endpoint: `http://127.0.0.1:${s3Info.port}`,
    dynamoEndpoint: `http://127.0.0.1:${dynPort}`,
    s3rver,
    async close() {
      await s3rver.close();
      await new Promise<void>((resolve) => dyn.close(() => resolve()));
      unlock();
    },
  };
}

function mkTemp(): string {
  const dir = join(process.env.TMPDIR ?? '/tmp', `bishui-s3-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * s3rver predates S3's aws-chunked uploads with trailing checksums, which the SDK now sends for
 * streamed bodies by default; it would store the chunk framing as the object. Checksums only when
 * an operation requires them keeps uploads plain.
 */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint, region: LOCAL_REGION, forcePathStyle: true, credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function localDynamoClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: CREDENTIALS, ...(maxAttempts ? { maxAttempts } : {}) });
}

/** Creates the table with the stack's key schema, if it is not there yet. */
export async function ensureTable(client: DynamoDBClient, table = LOCAL_TABLE): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: FILE_INDEX.partitionKey, AttributeType: 'S' },
      { AttributeName: FILE_INDEX.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: FILE_INDEX.name,
      KeySchema: [
        { AttributeName: FILE_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: FILE_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
}

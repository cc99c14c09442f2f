/**
 * BatchWriteItem done properly: no duplicate keys inside a request (DynamoDB refuses them; the later
 * item wins, as in the file), 25 items a request, several requests in parallel, UnprocessedItems and
 * throttling retried with exponential backoff and full jitter until written or out of attempts.
 * Every item is checked against DynamoDB's limits before anything is sent (item-size.ts): one item
 * DynamoDB would refuse fails the whole request there, so callers check theirs first.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { assertStorable } from './item-size.js';

export interface BatchWriteOptions {
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'TooManyRequestsException', 'InternalServerError', 'ServiceUnavailable',
]);

export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e.name ?? '') || e.$retryable !== undefined || (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Item = Record<string, unknown> & { PK: string; SK: string };
type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export async function batchPutAll(
  doc: DynamoDBDocumentClient, table: string, items: readonly Item[], options: BatchWriteOptions = {},
): Promise<{ requests: number; retries: number }> {
  for (const item of items) assertStorable(item);
  return batchWriteAll(doc, table, items, (Item) => ({ PutRequest: { Item } }), options);
}

/** The same, deleting the items with these keys. */
export async function batchDeleteAll(
  doc: DynamoDBDocumentClient, table: string, keys: readonly Item[], options: BatchWriteOptions = {},
): Promise<{ requests: number; retries: number }> {
  return batchWriteAll(doc, table, keys, ({ PK, SK }) => ({ DeleteRequest: { Key: { PK, SK } } }), options);
}

async function batchWriteAll(
  doc: DynamoDBDocumentClient, table: string, items: readonly Item[], request: (item: Item) => WriteRequest, options: BatchWriteOptions,
): Promise<{ requests: number; retries: number }> {
  const { concurrency = 8, maxAttempts = 10, baseDelayMs = 25, maxDelayMs = 5_000 } = options;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const unique = new Map<string, Item>();
  for (const item of items) {
    const key = `${item.PK}\u0000${item.SK}`;
    unique.delete(key); // keep file order for the survivor
    unique.set(key, item);
  }
  const all = [...unique.values()];
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < all.length; i += 25) chunks.push(all.slice(i, i + 25).map(request));

  let requests = 0;
  let retries = 0;
  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending = chunk;
    for (let attempt = 0; ; attempt++) {
      try {
        requests++;
        const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        const left = (res.UnprocessedItems?.[table] ?? []) as WriteRequest[];
        if (left.length === 0) return;
        pending = left;
      } catch (err) {
        if (!isThrottling(err)) throw err;
      }
      if (attempt + 1 >= maxAttempts) {
        throw new Error(`DynamoDB did not accept ${pending.length} items after ${maxAttempts} attempts (throttled or unprocessed)`);
      }
      retries++;
      await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
    }
  };

  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
    while (next < chunks.length) await writeChunk(chunks[next++] as WriteRequest[]);
  });
  await Promise.all(workers);
  return { requests, retries };
}

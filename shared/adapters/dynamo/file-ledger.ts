/** DynamoDB behind the FileLedger port: one item per file version, leased with conditional writes. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fileIdOf } from '../../layout.js';
import type { FileLedger, LeaseOutcome, LedgerEntry, ObjectRef } from '../../ports/index.js';
import { pages } from './document-client.js';
import { VERSION_SK_PREFIX, filePk, versionSk } from './table-design.js';

interface LedgerItem extends Omit<LedgerEntry, 'status'> {
  PK: string;
  SK: string;
  status: LedgerEntry['status'];
}

export class DynamoFileLedger implements FileLedger {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

  async acquire(ref: ObjectRef, version: string, now: number, leaseMs: number): Promise<LeaseOutcome> {
    const fileId = fileIdOf(ref);
    const key = { PK: filePk(fileId), SK: versionSk(version) };
    try {
      // Conditional: a new file, or one whose worker's lease has run out. Finished files stay finished.
      const res = await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: key,
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :processing AND leaseUntil < :now)',
        UpdateExpression: 'SET #status = :processing, leaseUntil = :until, attempts = if_not_exists(attempts, :zero) + :one, '
          + 'fileId = :fileId, #bucket = :bucket, #key = :key, #version = :version, receivedAt = if_not_exists(receivedAt, :at)',
        // status, key, bucket and version are DynamoDB reserved words
        ExpressionAttributeNames: { '#status': 'status', '#key': 'key', '#bucket': 'bucket', '#version': 'version' },
        ExpressionAttributeValues: {
          ':processing': 'processing', ':now': now, ':until': now + leaseMs, ':zero': 0, ':one': 1,
          ':fileId': fileId, ':bucket': ref.bucket, ':key': ref.key, ':version': version, ':at': new Date(now).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }));
      return { outcome: 'acquired', attempts: Number(res.Attributes?.attempts ?? 1) };
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      const current = await this.get(fileId, version);
      if (current && current.status !== 'processing') return { outcome: 'finished', entry: current };
      return { outcome: 'busy', leaseUntil: current?.leaseUntil ?? now + leaseMs };
    }
  }

  async complete(entry: LedgerEntry): Promise<void> {
    const item: LedgerItem = { ...entry, PK: filePk(entry.fileId), SK: versionSk(entry.version) };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  async get(fileId: string, version?: string): Promise<LedgerEntry | undefined> {
    if (version !== undefined) {
      const res = await this.doc.send(new GetCommand({
        TableName: this.table, Key: { PK: filePk(fileId), SK: versionSk(version) }, ConsistentRead: true,
      }));
      return res.Item ? strip(res.Item) : undefined;
    }
    let latest: LedgerEntry | undefined;
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :v)',
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':v': VERSION_SK_PREFIX }, ConsistentRead: true,
    })) {
      const e = strip(item);
      if (!latest || e.receivedAt > latest.receivedAt) latest = e;
    }
    return latest;
  }
}

function strip(item: Record<string, unknown>): LedgerEntry {
  const { PK: _pk, SK: _sk, ...rest } = item;
  return rest as unknown as LedgerEntry;
}

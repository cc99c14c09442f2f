/**
 * DynamoDB behind the SampleStore and FileLedger ports (table design in table-design.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dailyMeans, monthlyMeans } from '../../domain/period-means.js';
import { fileIdOf } from '../../ports/index.js';
import type {
  DayPart, FileLedger, LeaseOutcome, LedgerEntry, MonthMeans, ObjectRef, PeriodMeans, SampleStore, StoredSample,
} from '../../ports/index.js';
import { type BatchWriteOptions, batchDeleteAll, batchPutAll } from './batch-writer.js';
import { dayPartItem, fromDayPartItem, fromItem, toItem } from './sample-items.js';
import {
  DAY_PART_FILE_SK_PREFIX, FILE_INDEX, filePk, monthPk, sampleSkFrom, sampleSkTo, sitePk, versionSk,
} from './table-design.js';

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

async function* pages(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of res.Items ?? []) yield item;
    start = res.LastEvaluatedKey;
  } while (start);
}

/** The end of year 9999: ISO strings past it gain a sign and no longer sort. */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export class DynamoSampleStore implements SampleStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string, private readonly writeOptions: BatchWriteOptions = {}) {}

  async putSamples(samples: readonly StoredSample[]): Promise<void> {
    if (samples.length > 0) await batchPutAll(this.doc, this.table, samples.map(toItem) as never[], this.writeOptions);
  }

  /** Stores day parts and marks each of their sites as reporting in the parts' months. */
  async putDayParts(parts: readonly DayPart[]): Promise<void> {
    if (parts.length === 0) return;
    const markers = new Map<string, { PK: string; SK: string }>();
    for (const p of parts) {
      const PK = monthPk(p.day.slice(0, 7));
      const SK = sitePk(p.site);
      markers.set(`${PK}|${SK}`, { PK, SK });
    }
    await batchPutAll(this.doc, this.table, [...parts.map(dayPartItem), ...markers.values()] as never[], this.writeOptions);
  }

  async clearDayParts(fileId: string): Promise<void> {
    let keys: { PK: string; SK: string }[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name, ProjectionExpression: 'PK, SK',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :d)',
      ExpressionAttributeNames: { '#pk': FILE_INDEX.partitionKey, '#sk': FILE_INDEX.sortKey },
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':d': DAY_PART_FILE_SK_PREFIX },
    })) {
      keys.push(item as { PK: string; SK: string });
      if (keys.length >= 1000) { await batchDeleteAll(this.doc, this.table, keys, this.writeOptions); keys = []; }
    }
    if (keys.length > 0) await batchDeleteAll(this.doc, this.table, keys, this.writeOptions);
  }

  async *querySite(site: string, from = 0, to = LAST_INSTANT): AsyncIterable<StoredSample> {
    for await (const item of pages(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':from': sampleSkFrom(from), ':to': sampleSkTo(to) },
    })) yield fromItem(item);
  }

  async latest(site: string): Promise<StoredSample | undefined> {
    const res = await this.doc.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':s': 'S#' }, ScanIndexForward: false, Limit: 1,
    }));
    const item = res.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  async *fileSamples(fileId: string): AsyncIterable<StoredSample> {
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name,
      // Line numbers only: the file's day parts share the index under D# keys, which sort after digits.
      KeyConditionExpression: '#pk = :pk AND #sk < :d',
      ExpressionAttributeNames: { '#pk': FILE_INDEX.partitionKey, '#sk': FILE_INDEX.sortKey },
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':d': DAY_PART_FILE_SK_PREFIX },
    })) yield fromItem(item);
  }

  private async dayParts(site: string, fromDay: string, toDayInclusive: string): Promise<DayPart[]> {
    const parts: DayPart[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':from': `D#${fromDay}`, ':to': `D#${toDayInclusive}#\uffff` },
    })) parts.push(fromDayPartItem(item));
    return parts;
  }

  async dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]> {
    return dailyMeans(await this.dayParts(site, fromDay, toDay));
  }

  async monthlyMeans(site: string, fromMonth: string, toMonth: string): Promise<MonthMeans[]> {
    return monthlyMeans(dailyMeans(await this.dayParts(site, `${fromMonth}-01`, `${toMonth}-31`)));
  }

  /**
   * The month's markers. A marker outlives parts a re-uploaded file no longer has, so a site listed
   * here may have no data left in the month: callers read its parts before reporting it.
   */
  async sitesReporting(month: string): Promise<string[]> {
    const sites: string[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', ProjectionExpression: 'SK',
      ExpressionAttributeValues: { ':pk': monthPk(month) },
    })) sites.push(String(item.SK).slice('SITE#'.length));
    return sites;
  }
}

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
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':v': 'V#' }, ConsistentRead: true,
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

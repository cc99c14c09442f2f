/**
 * DynamoDB behind the NotificationOutbox port: one item per page under its owner's partition
 * (key shapes in table-design.ts), on the file index while unsent so a sweep finds every unsent
 * page with one Query. Claims, progress and confirmation are conditional writes.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification, NotificationOutbox, OutboxPage, PageRef } from '../../ports/index.js';
import { pages } from './document-client.js';
import { FILE_INDEX, OUTBOX_INDEX_PK, outboxIndexSk, outboxPk } from './table-design.js';

/** Owners longer than this (in UTF-8 bytes) are keyed by their hash: a key stays far below DynamoDB's 2 KB. */
const MAX_OWNER_KEY_BYTES = 512;

const isConditionFailure = (err: unknown) => (err as { name?: string }).name === 'ConditionalCheckFailedException';

function keyOf(ref: PageRef): { PK: string; SK: string } {
  const owner = Buffer.byteLength(ref.owner) > MAX_OWNER_KEY_BYTES ? `h:${createHash('sha256').update(ref.owner).digest('hex')}` : ref.owner;
  return { PK: outboxPk(owner), SK: ref.id };
}

function pageOf(item: Record<string, unknown>): OutboxPage {
  return {
    owner: String(item.owner), id: String(item.SK), createdAt: Number(item.at),
    status: item.st === 'tentative' ? 'tentative' : 'ready',
    notifications: JSON.parse(String(item.n ?? '[]')) as Notification[],
    sent: Number(item.sent ?? 0),
    ...(item.base !== undefined ? { base: Number(item.base) } : {}),
    ...(item.cu !== undefined ? { claimUntil: Number(item.cu) } : {}),
  };
}

export class DynamoOutboxStore implements NotificationOutbox {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

  async add(page: Omit<OutboxPage, 'sent' | 'claimUntil'> & { readonly mark?: boolean }): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({
        TableName: this.table,
        Item: {
          ...keyOf(page), owner: page.owner, at: page.createdAt, st: page.status, n: JSON.stringify(page.notifications), sent: 0,
          ...(page.base !== undefined ? { base: page.base } : {}), ...(page.mark ? { mark: true } : {}),
          [FILE_INDEX.partitionKey]: OUTBOX_INDEX_PK, [FILE_INDEX.sortKey]: outboxIndexSk(page.createdAt),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async pagesOf(owner: string): Promise<OutboxPage[]> {
    const out: OutboxPage[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keyOf({ owner, id: '' }).PK }, ConsistentRead: true,
    })) if (item.st !== 'sent') out.push(pageOf(item));
    return out;
  }

  async pending(limit: number): Promise<OutboxPage[]> {
    const out: OutboxPage[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name,
      KeyConditionExpression: `${FILE_INDEX.partitionKey} = :pk`, ExpressionAttributeValues: { ':pk': OUTBOX_INDEX_PK },
    })) {
      out.push(pageOf(item));
      if (out.length >= limit) break;
    }
    return out;
  }

  confirm(ref: PageRef): Promise<boolean> {
    return this.conditional(new UpdateCommand({
      TableName: this.table, Key: keyOf(ref), UpdateExpression: 'SET st = :ready',
      ConditionExpression: 'attribute_exists(PK) AND st = :tentative', ExpressionAttributeValues: { ':ready': 'ready', ':tentative': 'tentative' },
    }));
  }

  async claim(ref: PageRef, claimer: string, now: number, until: number, confirm: boolean): Promise<OutboxPage | undefined> {
    try {
      const res = await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: keyOf(ref), UpdateExpression: 'SET cu = :until, cb = :me, st = :ready',
        ConditionExpression: `attribute_exists(PK) AND (st = :ready${confirm ? ' OR st = :tentative' : ''}) AND (attribute_not_exists(cu) OR cu < :now)`,
        ExpressionAttributeValues: { ':until': until, ':me': claimer, ':ready': 'ready', ':now': now, ...(confirm ? { ':tentative': 'tentative' } : {}) },
        ReturnValues: 'ALL_NEW',
      }));
      return res.Attributes ? pageOf(res.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  progress(ref: PageRef, claimer: string, sent: number, until: number): Promise<boolean> {
    return this.conditional(new UpdateCommand({
      TableName: this.table, Key: keyOf(ref), UpdateExpression: 'SET sent = :sent, cu = :until',
      ConditionExpression: 'cb = :me', ExpressionAttributeValues: { ':sent': sent, ':until': until, ':me': claimer },
    }));
  }

  async release(ref: PageRef, claimer: string, sent: number): Promise<void> {
    await this.conditional(new UpdateCommand({
      TableName: this.table, Key: keyOf(ref), UpdateExpression: 'SET sent = :sent REMOVE cu, cb',
      ConditionExpression: 'cb = :me', ExpressionAttributeValues: { ':sent': sent, ':me': claimer },
    }));
  }

  async finish(ref: PageRef, claimer: string): Promise<void> {
    // A marked page (a keyed notice) stays as a small mark off the index, so its key is never recorded again.
    await this.conditional(new UpdateCommand({
      TableName: this.table, Key: keyOf(ref),
      UpdateExpression: `SET st = :sent REMOVE n, cu, cb, ${FILE_INDEX.partitionKey}, ${FILE_INDEX.sortKey}`,
      ConditionExpression: 'cb = :me AND mark = :yes', ExpressionAttributeValues: { ':me': claimer, ':sent': 'sent', ':yes': true },
    })) || await this.conditional(new DeleteCommand({
      TableName: this.table, Key: keyOf(ref), ConditionExpression: 'cb = :me', ExpressionAttributeValues: { ':me': claimer },
    }));
  }

  async discard(ref: PageRef): Promise<void> {
    await this.conditional(new DeleteCommand({
      TableName: this.table, Key: keyOf(ref), ConditionExpression: 'st = :tentative', ExpressionAttributeValues: { ':tentative': 'tentative' },
    }));
  }

  /** Sends a conditional write; false when its condition did not hold. */
  private async conditional(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.doc.send(command as UpdateCommand);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

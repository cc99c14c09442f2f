/**
 * DynamoDB behind the FileLedger port: one item per file version, leased with conditional writes,
 * and one head item per key that holds the newest version seen (by S3 event sequencer) and the
 * version writing the key's data now (key shapes in table-design.ts).
 *
 * Each lease is named by a random `holder`, under which its checkpoints and failures are recorded,
 * so a worker that lost its lease writes neither. A checkpoint hands the file on: the lease stays
 * taken, reserved for the invocation that presents the `handoff` token (once; a token is removed
 * when used, and when any other worker takes the file after the reservation ran out).
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readCheckpoint } from '../../ingest/checkpoint.js';
import { fileIdOf } from '../../layout.js';
import { DYNAMO_MAX_ITEM_BYTES, LEDGER_CHECKPOINT_MAX_BYTES, LEDGER_HEADROOM_BYTES } from '../../limits.js';
import type { DeadLetterOutcome, FileLedger, IngestCheckpoint, KeyClaim, LeaseOutcome, LedgerEntry, ObjectRef } from '../../ports/index.js';
import { pages } from './document-client.js';
import { assertStorable, itemBytes } from './item-size.js';
import { FILE_HEAD_SK, VERSION_SK_PREFIX, filePk, versionSk } from './table-design.js';

interface LedgerItem extends Omit<LedgerEntry, 'status'> {
  PK: string;
  SK: string;
  status: LedgerEntry['status'];
}

const isConditionFailure = (err: unknown) => (err as { name?: string }).name === 'ConditionalCheckFailedException';

/** status, key, bucket, version and error are DynamoDB reserved words; the rest are named alike for one style. */
const NAMES = {
  '#status': 'status', '#key': 'key', '#bucket': 'bucket', '#version': 'version', '#error': 'error',
} as const;

export class DynamoFileLedger implements FileLedger {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

  async acquire(ref: ObjectRef, version: string, now: number, leaseMs: number, handoff?: string): Promise<LeaseOutcome> {
    const fileId = fileIdOf(ref);
    const key = { PK: filePk(fileId), SK: versionSk(version) };
    const holder = randomUUID();
    if (handoff !== undefined) {
      // The invocation the file was handed to: takes the reserved lease at once (not a new attempt).
      try {
        const res = await this.doc.send(new UpdateCommand({
          TableName: this.table, Key: key,
          ConditionExpression: '#status = :processing AND handoff = :handoff',
          UpdateExpression: 'SET leaseUntil = :until, holder = :holder REMOVE handoff',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':processing': 'processing', ':handoff': handoff, ':until': now + leaseMs, ':holder': holder },
          ReturnValues: 'ALL_NEW',
        }));
        return acquired(res.Attributes ?? {}, holder);
      } catch (err) {
        if (!isConditionFailure(err)) throw err; // used already, or taken over: acquired like any other message below
      }
    }
    try {
      // Conditional: a new file, one whose worker's lease has run out, or a dead-lettered one (a
      // redrive). Finished files stay finished.
      const res = await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: key,
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :processing AND leaseUntil < :now) '
          + 'OR (#status = :failed AND attribute_exists(deadLetteredAt))',
        UpdateExpression: 'SET #status = :processing, leaseUntil = :until, holder = :holder, attempts = if_not_exists(attempts, :zero) + :one, '
          + 'fileId = :fileId, #bucket = :bucket, #key = :key, #version = :version, receivedAt = if_not_exists(receivedAt, :at)'
          + `${ref.sequencer ? ', sequencer = :sequencer' : ''} REMOVE deadLetteredAt, finishedAt, #error, handoff`,
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':processing': 'processing', ':failed': 'failed', ':now': now, ':until': now + leaseMs, ':zero': 0, ':one': 1, ':holder': holder,
          ':fileId': fileId, ':bucket': ref.bucket, ':key': ref.key, ':version': version, ':at': new Date(now).toISOString(),
          ...(ref.sequencer ? { ':sequencer': ref.sequencer } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }));
      return acquired(res.Attributes ?? {}, holder);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(fileId, version);
      if (current && current.status !== 'processing') return { outcome: 'finished', entry: current };
      return { outcome: 'busy', leaseUntil: current?.leaseUntil ?? now + leaseMs, continuing: current?.checkpoint !== undefined };
    }
  }

  async checkpoint(ref: ObjectRef, version: string, holder: string, checkpoint: IngestCheckpoint, reservedUntil: number): Promise<string | undefined> {
    const bytes = itemBytes({ checkpoint });
    if (bytes > LEDGER_CHECKPOINT_MAX_BYTES) {
      // Cannot happen with the tally's bounds (limits.ts); said plainly if it ever does.
      throw new Error(`checkpoint of ${fileIdOf(ref)} is ${bytes} bytes, over its bound of ${LEDGER_CHECKPOINT_MAX_BYTES}`);
    }
    const handoff = randomUUID();
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: { PK: filePk(fileIdOf(ref)), SK: versionSk(version) },
        ConditionExpression: '#status = :processing AND holder = :holder',
        UpdateExpression: 'SET checkpoint = :checkpoint, handoff = :handoff, leaseUntil = :until',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':holder': holder, ':checkpoint': checkpoint, ':handoff': handoff, ':until': reservedUntil },
      }));
      return handoff;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return undefined;
    }
  }

  async complete(entry: LedgerEntry): Promise<void> {
    const item = fitToItemLimit({ ...entry, PK: filePk(entry.fileId), SK: versionSk(entry.version) });
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  async get(fileId: string, version?: string): Promise<LedgerEntry | undefined> {
    if (version !== undefined) {
      const res = await this.doc.send(new GetCommand({
        TableName: this.table, Key: { PK: filePk(fileId), SK: versionSk(version) }, ConsistentRead: true,
      }));
      return res.Item ? strip(res.Item) : undefined;
    }
    // The key's items: its versions' entries and its head, which names the newest version by sequencer.
    let latest: LedgerEntry | undefined;
    let newest: string | undefined;
    const byVersion = new Map<string, LedgerEntry>();
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': filePk(fileId) }, ConsistentRead: true,
    })) {
      if (item.SK === FILE_HEAD_SK) { newest = item.newest as string | undefined; continue; }
      if (!String(item.SK).startsWith(VERSION_SK_PREFIX)) continue;
      const e = strip(item);
      byVersion.set(e.version, e);
      if (!latest || e.receivedAt > latest.receivedAt) latest = e;
    }
    return (newest !== undefined ? byVersion.get(newest) : undefined) ?? latest;
  }

  async recordFailure(ref: ObjectRef, version: string, holder: string, error: string, now: number): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: { PK: filePk(fileIdOf(ref)), SK: versionSk(version) },
        ConditionExpression: '#status = :processing AND holder = :holder',
        UpdateExpression: 'SET lastError = :error, leaseUntil = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':holder': holder, ':error': error, ':now': now },
      }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // finished meanwhile, or another worker holds it now: nothing to record
    }
  }

  async deadLetter(ref: ObjectRef, version: string, fallbackError: string, now: number): Promise<DeadLetterOutcome> {
    const fileId = fileIdOf(ref);
    const at = new Date(now).toISOString();
    try {
      // A version never acquired (its delivery failed before) gets an entry of its own.
      const res = await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: { PK: filePk(fileId), SK: versionSk(version) },
        ConditionExpression: 'attribute_not_exists(PK) OR #status = :processing',
        UpdateExpression: 'SET #status = :failed, #error = if_not_exists(lastError, :fallback), finishedAt = :at, deadLetteredAt = :at, '
          + 'fileId = :fileId, #bucket = :bucket, #key = :key, #version = :version, receivedAt = if_not_exists(receivedAt, :at), '
          + 'attempts = if_not_exists(attempts, :zero) REMOVE leaseUntil, holder, handoff, checkpoint',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':processing': 'processing', ':failed': 'failed', ':fallback': fallbackError, ':at': at,
          ':fileId': fileId, ':bucket': ref.bucket, ':key': ref.key, ':version': version, ':zero': 0,
        },
        ReturnValues: 'ALL_NEW',
      }));
      return { outcome: 'failed', entry: strip(res.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(fileId, version);
      if (!current) throw new Error(`ledger entry of ${fileId} (${version}) vanished while it was being marked dead-lettered`);
      // Already marked by an earlier try of the same dead letter: report it again (announced at least once).
      return current.status === 'failed' && current.deadLetteredAt ? { outcome: 'failed', entry: current } : { outcome: 'finished', entry: current };
    }
  }

  async claimKey(ref: ObjectRef, version: string, sequencer: string, now: number, leaseMs: number): Promise<KeyClaim> {
    const key = this.headKey(ref);
    const names = { '#seq': 'seq', '#newest': 'newest', '#holder': 'holder', '#until': 'holderUntil' };
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: key,
        ConditionExpression: 'attribute_not_exists(#seq) OR #seq <= :seq',
        UpdateExpression: 'SET #seq = :seq, #newest = :version',
        ExpressionAttributeNames: { '#seq': names['#seq'], '#newest': names['#newest'] },
        ExpressionAttributeValues: { ':seq': sequencer, ':version': version },
      }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const head = await this.head(ref);
      return { outcome: 'superseded', by: head?.newest ?? '(unknown)' };
    }
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: key,
        ConditionExpression: '#seq = :seq AND (attribute_not_exists(#holder) OR #holder = :version OR #until < :now)',
        UpdateExpression: 'SET #holder = :version, #until = :until',
        ExpressionAttributeNames: { '#seq': names['#seq'], '#holder': names['#holder'], '#until': names['#until'] },
        ExpressionAttributeValues: { ':seq': sequencer, ':version': version, ':now': now, ':until': now + leaseMs },
      }));
      return { outcome: 'claimed' };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const head = await this.head(ref);
      if (!head || head.seq !== sequencer) return { outcome: 'superseded', by: head?.newest ?? '(unknown)' };
      return { outcome: 'busy', holder: head.holder ?? '(unknown)', until: head.holderUntil ?? now };
    }
  }

  async newestVersion(ref: ObjectRef): Promise<{ version: string; sequencer: string } | undefined> {
    const head = await this.head(ref);
    return head?.seq && head.newest ? { version: head.newest, sequencer: head.seq } : undefined;
  }

  async releaseKey(ref: ObjectRef, version: string): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.table, Key: this.headKey(ref),
        ConditionExpression: '#holder = :version', UpdateExpression: 'REMOVE #holder, #until',
        ExpressionAttributeNames: { '#holder': 'holder', '#until': 'holderUntil' },
        ExpressionAttributeValues: { ':version': version },
      }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // another version holds it now
    }
  }

  private headKey(ref: ObjectRef) {
    return { PK: filePk(fileIdOf(ref)), SK: FILE_HEAD_SK };
  }

  private async head(ref: ObjectRef): Promise<{ seq?: string; newest?: string; holder?: string; holderUntil?: number } | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.headKey(ref), ConsistentRead: true }));
    return res.Item as { seq?: string; newest?: string; holder?: string; holderUntil?: number } | undefined;
  }
}

/** The entry as the port shows it: no keys, lease tokens or handoff; a checkpoint only when it is one this code can resume from. */
function strip(item: Record<string, unknown>): LedgerEntry {
  const { PK: _pk, SK: _sk, holder: _holder, handoff: _handoff, checkpoint: stored, ...rest } = item;
  const { checkpoint } = readCheckpoint(stored);
  return { ...rest, ...(checkpoint ? { checkpoint } : {}) } as unknown as LedgerEntry;
}

function acquired(item: Record<string, unknown>, holder: string): LeaseOutcome {
  const { checkpoint, problem } = readCheckpoint(item.checkpoint);
  return {
    outcome: 'acquired', attempts: Number(item.attempts ?? 1), holder,
    ...(checkpoint ? { checkpoint } : {}),
    ...(problem ? { unreadableCheckpoint: problem } : {}),
  };
}

/** What a finished entry may take, leaving room for the small updates that may follow it. */
const LEDGER_BUDGET_BYTES = DYNAMO_MAX_ITEM_BYTES - LEDGER_HEADROOM_BYTES;
const CUTTABLE = ['rejectedRows', 'warnings', 'sites'] as const;

/**
 * The entry within DynamoDB's item limit as DynamoDB counts it: while it is too large, the list
 * taking the most bytes loses its second half; what was cut is said in `truncated`.
 */
export function fitToItemLimit(item: LedgerItem): LedgerItem {
  let size = itemBytes(item);
  if (size <= LEDGER_BUDGET_BYTES) return item;
  const fitted: Record<string, unknown> = { ...item };
  const before = Object.fromEntries(CUTTABLE.map((k) => [k, (item[k] ?? []).length]));
  while (size > LEDGER_BUDGET_BYTES) {
    const largest = CUTTABLE
      .filter((k) => ((fitted[k] as unknown[] | undefined) ?? []).length > 0)
      .sort((a, b) => itemBytes({ [b]: fitted[b] }) - itemBytes({ [a]: fitted[a] }))[0];
    if (!largest) break;
    const list = fitted[largest] as unknown[];
    fitted[largest] = list.slice(0, Math.floor(list.length / 2));
    size = itemBytes(fitted);
  }
  const cut = CUTTABLE.filter((k) => ((fitted[k] as unknown[] | undefined) ?? []).length < (before[k] ?? 0))
    .map((k) => `${((fitted[k] as unknown[] | undefined) ?? []).length} of ${before[k]} ${k}`);
  fitted.truncated = [item.truncated, `cut to fit DynamoDB's item limit: kept ${cut.join(', ')}`].filter(Boolean).join('; ');
  assertStorable(fitted); // what cannot be cut (keys, the reason) must fit on its own
  return fitted as unknown as LedgerItem;
}

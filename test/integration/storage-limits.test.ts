/**
 * Nothing in a file sends it to the dead-letter queue through storage, and the local emulators
 * refuse what AWS refuses: DynamoDB's item and key limits are checked in UTF-8 bytes before a write
 * (dynalite counts UTF-16 units), every derived key fits whatever the S3 key, the ledger entry is
 * bounded, and the local S3 refuses keys S3 would (and keys its disk cannot hold).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutItemCommand as DynamoPut } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchPutAll } from '../../shared/adapters/dynamo/batch-writer.js';
import { ItemRefusedError, itemBytes, utf8Bytes } from '../../shared/adapters/dynamo/item-size.js';
import { LOCAL_BUCKET, LOCAL_TABLE } from '../../local/runtime/emulators.js';
import { QUARANTINE_LONG_KEYS_PREFIX, fileIdOf } from '../../shared/layout.js';
import {
  DYNAMO_MAX_ITEM_BYTES, DYNAMO_MAX_SORT_KEY_BYTES, LEDGER_REJECTED_ROWS_KEPT, MAX_REASON_CHARS, S3_MAX_KEY_BYTES,
} from '../../shared/limits.js';
import { shanghai } from '../helpers/parse.js';
import { collect, usePipeline } from '../helpers/pipeline.js';

const p = usePipeline({ visibilityTimeoutMs: 200, maxReceiveCount: 2 });

const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';
const fileId = (key: string) => fileIdOf({ bucket: LOCAL_BUCKET, key });

/** An incoming/ key of exactly `bytes` UTF-8 bytes, in segments a disk can hold, ending in `name`. */
function longKey(bytes: number, name: string): string {
  const base = `incoming/${name}`;
  let rest = bytes - utf8Bytes(base);
  const segments: string[] = [];
  while (rest > 0) {
    const n = Math.min(150, rest - 1);
    segments.push('长'.repeat(Math.floor(n / 3)) + 'k'.repeat(n % 3));
    rest -= n + 1;
  }
  const key = `incoming/${segments.join('/')}/${name}`;
  expect(utf8Bytes(key)).toBe(bytes);
  return key;
}

async function ingest(key: string, body: string | Uint8Array) {
  const pipe = p.get();
  await pipe.upload(key, body);
  await pipe.idle();
  return pipe.ledger.get(fileId(key));
}

describe('DynamoDB limits, counted as DynamoDB counts them', () => {
  it('dynalite alone takes a 420 KB (UTF-8) item; the adapters refuse it before it is sent', async () => {
    const pipe = p.get();
    const text = '水'.repeat(140_000);
    const item = { PK: 'TEST#big', SK: 'x', u: text };
    expect(itemBytes(item)).toBeGreaterThan(DYNAMO_MAX_ITEM_BYTES);
    // What the local DynamoDB would let through, where AWS would not:
    await pipe.dynamo.send(new DynamoPut({ TableName: LOCAL_TABLE, Item: { PK: { S: 'TEST#raw' }, SK: { S: 'x' }, u: { S: text } } }));
    await expect(batchPutAll(pipe.doc, LOCAL_TABLE, [{ ...item, SK: 'guarded' }])).rejects.toBeInstanceOf(ItemRefusedError);
    const { Item } = await pipe.doc.send(new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: LOCAL_TABLE, Key: { PK: 'TEST#big', SK: 'guarded' } }));
    expect(Item).toBeUndefined();
  });

  it('a site name too long for a partition key is a rejected row naming it; the other rows are stored', async () => {
    const pipe = p.get();
    expect(pipe.store.refusalOf({ sample: { site: '站'.repeat(700), registered: false, time: 0, values: {}, flags: {}, source: { file: 'x', line: 2 } }, fileId: 'b/k', fileVersion: 'v', grade: null, cwqi: null, compliant: null }))
      .toMatch(/site name '站+…' is 2,100 bytes: too long to be stored/);
    const key = 'incoming/long-site.csv';
    const entry = await ingest(key, [HEADER, `${'站'.repeat(3_000)},2023-07-01 08:00,20,0.5`, '四新河,2023-07-01 09:00,21,0.5'].join('\n'));
    expect(entry).toMatchObject({ status: 'done', accepted: 1, rejected: 1 });
    expect(entry!.rejectedRows).toEqual([{ line: 2, reason: expect.stringMatching(/site/i) }]);
    expect(await collect(pipe.store.fileSamples(fileId(key)))).toHaveLength(1);
    expect(pipe.queue.deadLetters).toEqual([]);
  });

  it('150 rejected rows with 3,000-character reasons: the first 100 kept, each cut, and the entry says so', async () => {
    // A time cell that is not a time rejects its row; each reason quotes 3,000 characters of it.
    const rows = Array.from({ length: 150 }, (_, i) => `四新河,${'坏'.repeat(3_000)}${i},20,0.5`);
    const entry = await ingest('incoming/long-reasons.csv', [HEADER, ...rows].join('\n'));
    expect(entry).toMatchObject({ status: 'done', rejected: 150 });
    expect(entry!.rejectedRows).toHaveLength(LEDGER_REJECTED_ROWS_KEPT);
    for (const r of entry!.rejectedRows!) expect(r.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(entry!.rejectedRows![0]!.reason).toMatch(/坏…/); // the quoted cell is cut, not stored whole
    expect(entry!.truncated).toMatch(/100 of 150 rejected rows kept/);
    expect(p.get().queue.deadLetters).toEqual([]);
  });

  it('6,000 unknown columns: the warning is cut, the file is read (or rejected as a whole), never dead-lettered', async () => {
    const cols = Array.from({ length: 6_000 }, (_, i) => `未知指标${String(i).padStart(5, '0')}_${'x'.repeat(50)}`);
    const entry = await ingest('incoming/wide.csv', [`${HEADER},${cols.join(',')}`, `四新河,2023-07-03 08:00,20,0.5,${cols.map(() => '1').join(',')}`].join('\n'));
    expect(['done', 'failed']).toContain(entry!.status);
    for (const w of entry!.warnings ?? []) expect(w.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect((entry!.error ?? '').length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(p.get().queue.deadLetters).toEqual([]);
  });

  it('an entry still too large for one item (a hundred 15 KB site names) is cut to fit, saying what it kept', async () => {
    const pipe = p.get();
    const sites = Array.from({ length: 100 }, (_, i) => `${i}${'站'.repeat(5_000)}`);
    const entry = {
      fileId: 'bishui-raw/incoming/many-sites.csv', bucket: LOCAL_BUCKET, key: 'incoming/many-sites.csv', version: 'v1',
      status: 'done' as const, attempts: 1, receivedAt: new Date(0).toISOString(), accepted: 100, sites,
    };
    await pipe.ledger.complete(entry);
    const stored = await pipe.ledger.get(entry.fileId, 'v1');
    expect(stored!.sites!.length).toBeLessThan(100);
    expect(stored!.sites).toEqual(sites.slice(0, stored!.sites!.length));
    expect(stored!.truncated).toMatch(new RegExp(`cut to fit DynamoDB's item limit: kept ${stored!.sites!.length} of 100 sites`));
    expect(itemBytes(stored!)).toBeLessThanOrEqual(DYNAMO_MAX_ITEM_BYTES);
  });
});

describe('keys derived from a ~1,000-byte S3 key', () => {
  it('a valid file is stored: every key within its limit, its samples queryable, its days in the means', async () => {
    const pipe = p.get();
    const key = longKey(1_010, '四新河.csv');
    const entry = await ingest(key, [HEADER, '四新河,2023-07-04 08:00,20,0.5', '四新河,2023-07-05 08:00,30,0.5'].join('\n'));
    expect(entry).toMatchObject({ status: 'done', accepted: 2 });
    const samples = await collect(pipe.store.querySite('sixinhe', shanghai('2023-07-04 00:00'), shanghai('2023-07-05 23:00')));
    expect(samples.map((s) => [s.sample.values.COD, s.fileId])).toEqual([[20, fileId(key)], [30, fileId(key)]]);
    expect((await pipe.store.dailyMeans('sixinhe', '2023-07-04', '2023-07-05')).map((d) => d.means.COD)).toEqual([20, 30]);
    const { DAY_PART_SK_PREFIX, dayPartSk } = await import('../../shared/adapters/dynamo/table-design.js');
    expect(utf8Bytes(dayPartSk('2023-07-04', fileId(key), 12))).toBeLessThanOrEqual(DYNAMO_MAX_SORT_KEY_BYTES);
    expect(dayPartSk('2023-07-04', fileId(key), 0).startsWith(`${DAY_PART_SK_PREFIX}2023-07-04#`)).toBe(true);
  });

  it('a bad file with a long key containing "+" is quarantined under a shortened key whose report names the original', async () => {
    const pipe = p.get();
    const key = longKey(1_012, '年度报告 a+b.pdf');
    const entry = await ingest(key, '%PDF-1.7 not data');
    expect(entry).toMatchObject({ status: 'failed', quarantineKey: expect.stringMatching(new RegExp(`^${QUARANTINE_LONG_KEYS_PREFIX}[0-9a-f]{32}/年度报告 a\\+b\\.pdf$`)) });
    expect(utf8Bytes(`${entry!.quarantineKey!}.error.json`)).toBeLessThanOrEqual(S3_MAX_KEY_BYTES);
    const read = async (k: string) => (await (await pipe.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: k }))).Body!.transformToString());
    expect(await read(entry!.quarantineKey!)).toBe('%PDF-1.7 not data');
    expect(JSON.parse(await read(`${entry!.quarantineKey!}.error.json`))).toMatchObject({ file: `s3://${LOCAL_BUCKET}/${key}`, note: expect.stringMatching(/shortened/) });
    expect(await read(key)).toBe('%PDF-1.7 not data');
    expect(pipe.queue.deadLetters).toEqual([]);
  });
});

describe('the local S3 refuses what S3 (or its own disk) refuses', () => {
  it('a bad file whose key holds "+" is quarantined (the copy source reaches s3rver whole)', async () => {
    const pipe = p.get();
    const key = 'incoming/站点+导出 (1).pdf';
    const entry = await ingest(key, '%PDF-1.7 nope');
    expect(entry).toMatchObject({ status: 'failed', quarantineKey: `quarantine/${key}` });
    const copy = await pipe.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: `quarantine/${key}` }));
    expect(await copy.Body!.transformToString()).toBe('%PDF-1.7 nope');
    expect(pipe.queue.deadLetters).toEqual([]);
  });

  it('keys over 1,024 bytes: KeyTooLongError, as S3 answers; 1,024 bytes are taken', async () => {
    const pipe = p.get();
    await expect(pipe.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: longKey(S3_MAX_KEY_BYTES + 1, 'x.csv').replace(/^incoming\//, 'elsewhere/'), Body: 'x' })))
      .rejects.toMatchObject({ name: 'KeyTooLongError' });
    const ok = longKey(S3_MAX_KEY_BYTES, 'y.csv').replace(/^incoming\//, 'outside/');
    await pipe.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: ok, Body: 'y' }));
    expect(await (await pipe.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: ok }))).Body!.transformToString()).toBe('y');
  });

  it("keys with a '..' segment are refused, and nothing is written", async () => {
    const pipe = p.get();
    for (const key of ['incoming/../../x.csv', 'incoming/../../../../escaped.csv', '../outside.csv']) {
      await expect(pipe.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: 'x' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
    }
    const listed = await pipe.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET }));
    expect((listed.Contents ?? []).map((o) => o.Key).filter((k) => /x\.csv$|escaped|outside\.csv/.test(k ?? ''))).toEqual([]);
  });

  it('a key segment longer than a file name may be is refused, not a crash of the local S3', async () => {
    const pipe = p.get();
    await expect(pipe.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: `incoming/${'x'.repeat(300)}.csv`, Body: 'x' })))
      .rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/file name/) });
    await pipe.upload('incoming/still-up.csv', [HEADER, '四新河,2023-07-06 08:00,20,0.5'].join('\n'));
    await pipe.idle();
    expect(await pipe.ledger.get(fileId('incoming/still-up.csv'))).toMatchObject({ status: 'done' });
  });
});

describe('the S3 adapter', () => {
  it('refuses a key S3 would refuse before sending it, naming it', async () => {
    const { S3ObjectStore } = await import('../../shared/adapters/s3-object-store.js');
    const store = new S3ObjectStore(p.get().s3);
    const key = `quarantine/${'k'.repeat(S3_MAX_KEY_BYTES)}`;
    await expect(store.put(LOCAL_BUCKET, key, 'x')).rejects.toMatchObject({ name: 'KeyTooLongError', message: expect.stringMatching(/over 1,024 bytes; this one is 1,035: quarantine\/kkk/) });
    await expect(store.copy({ bucket: LOCAL_BUCKET, key: 'incoming/x.csv' }, key)).rejects.toMatchObject({ name: 'KeyTooLongError' });
  });
});

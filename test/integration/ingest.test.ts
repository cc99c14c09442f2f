/**
 * The ingest path end to end on real emulators (s3rver, dynalite) started by the test itself:
 * upload → S3 event → queue with SQS semantics → ingest handler → DynamoDB.
 */
import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { collect, usePipeline } from '../helpers/pipeline.js';
import { shanghai } from '../helpers/parse.js';

const p = usePipeline();

const csv = (rows: string[]) => ['断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L),总磷(mg/L)', ...rows].join('\n');

describe('ingest on the local pipeline', () => {
  it('a dropped file becomes queryable samples, evaluated, with its source', async () => {
    const pipe = p.get();
    await pipe.upload('incoming/2023/四新河 七月.csv', csv(['四新河,2023-07-15 08:00,31,0.8,0.2', '四新河,2023-07-15 09:00,25,0.5,0.1']));
    await pipe.idle();
    const stored = await collect(pipe.store.querySite('sixinhe', shanghai('2023-07-15 00:00'), shanghai('2023-07-16 00:00')));
    expect(stored.map((s) => [s.sample.time, s.sample.values.COD, s.grade])).toEqual([
      [shanghai('2023-07-15 08:00'), 31, 'V'], [shanghai('2023-07-15 09:00'), 25, 'IV'],
    ]);
    expect(stored[0]!.fileId).toBe(`${LOCAL_BUCKET}/incoming/2023/四新河 七月.csv`);
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/incoming/2023/四新河 七月.csv`);
    expect(entry).toMatchObject({ status: 'done', accepted: 2, rejected: 0, format: 'csv', sites: ['sixinhe'] });
    expect((await pipe.store.latest('sixinhe'))?.sample.time).toBe(shanghai('2023-07-15 09:00'));
    const daily = await pipe.store.dailyMeans('sixinhe', '2023-07-15', '2023-07-15');
    expect(daily).toEqual([expect.objectContaining({ period: '2023-07-15', samples: 2, means: { COD: 28, NH3N: 0.65, TP: expect.closeTo(0.15, 12) } })]);
  });

  it('the same event delivered twice stores the samples once and skips the finished file', async () => {
    const pipe = p.get();
    const key = 'incoming/dup.csv';
    await pipe.upload(key, csv(['赵牛河,2023-07-16 08:00,20,0.5,0.1']));
    await pipe.idle();
    const handledBefore = pipe.handled.length;
    const body = JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: LOCAL_BUCKET }, object: { key, eTag: (await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`))!.version } } }] });
    pipe.queue.send(body);
    pipe.queue.send(body);
    await pipe.idle();
    expect(pipe.handled.slice(handledBefore).map((h) => h.outcome?.status)).toEqual(['duplicate', 'duplicate']);
    const stored = await collect(pipe.store.fileSamples(`${LOCAL_BUCKET}/${key}`));
    expect(stored).toHaveLength(1);
  });

  it('the same key re-uploaded with changes → the newer values and source, one sample per site and time', async () => {
    const pipe = p.get();
    const key = 'incoming/xiaomeihe-0717.csv';
    await pipe.upload(key, csv(['小湄河,2023-07-17 08:00,20,0.5,0.1', '小湄河,2023-07-17 09:00,21,0.6,0.1']));
    await pipe.idle();
    await pipe.upload(key, csv(['小湄河,2023-07-17 08:00,35,0.5,0.1', '小湄河,2023-07-17 09:00,21,0.6,0.1']));
    await pipe.idle();
    const stored = await collect(pipe.store.querySite('xiaomeihe', shanghai('2023-07-17 00:00'), shanghai('2023-07-17 23:00')));
    expect(stored.map((s) => s.sample.values.COD)).toEqual([35, 21]);
    const latest = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(stored[0]!.fileVersion).toBe(latest!.version);
    const daily = await pipe.store.dailyMeans('xiaomeihe', '2023-07-17', '2023-07-17');
    expect(daily[0]).toMatchObject({ samples: 2, means: { COD: 28 } });
  });

  it('a re-upload that no longer covers a day takes that day out of the means (its earlier parts are replaced)', async () => {
    const pipe = p.get();
    const key = 'incoming/xiaomeihe-0720.csv';
    await pipe.upload(key, csv(['小湄河,2023-07-20 08:00,20,0.5,0.1', '小湄河,2023-07-21 08:00,30,0.5,0.1']));
    await pipe.idle();
    expect((await pipe.store.dailyMeans('xiaomeihe', '2023-07-20', '2023-07-21')).map((d) => d.period)).toEqual(['2023-07-20', '2023-07-21']);
    await pipe.upload(key, csv(['小湄河,2023-07-20 08:00,22,0.5,0.1']));
    await pipe.idle();
    const daily = await pipe.store.dailyMeans('xiaomeihe', '2023-07-20', '2023-07-21');
    expect(daily).toEqual([expect.objectContaining({ period: '2023-07-20', samples: 1, means: expect.objectContaining({ COD: 22 }) })]);
  });

  it('a file spanning more days than are held at once, out of order at the end: means per day and month stay exact', async () => {
    const pipe = p.get();
    const key = 'incoming/sixinhe-years.csv';
    const start = Date.parse('2010-01-01T08:00:00+08:00');
    const day = (i: number) => new Date(start + i * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const days = 1_300; // > the 1,000 site-days the collector holds, so parts are stored while the file streams
    const rows = Array.from({ length: days }, (_, i) => `四新河,${day(i)} 08:00,${10 + (i % 7)},0.5,0.1`);
    rows.push(`四新河,${day(0)} 20:00,40,0.5,0.1`); // the first day again, long after its part was stored
    await pipe.upload(key, csv(rows));
    await pipe.idle();
    expect(await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`)).toMatchObject({ status: 'done', accepted: days + 1 });
    expect(await collect(pipe.store.fileSamples(`${LOCAL_BUCKET}/${key}`))).toHaveLength(days + 1);
    expect(await pipe.store.dailyMeans('sixinhe', day(0), day(0))).toEqual([
      expect.objectContaining({ samples: 2, means: expect.objectContaining({ COD: 25 }) }),
    ]);
    const all = await pipe.store.dailyMeans('sixinhe', day(0), day(days - 1));
    expect(all).toHaveLength(days);
    expect(all.reduce((n, d) => n + d.samples, 0)).toBe(days + 1);
    const jan2010 = await pipe.store.monthlyMeans('sixinhe', '2010-01', '2010-01');
    // The month is the mean of its daily means (docs/domain.md#period-values): the first day's two samples make one day of 25.
    const daily = Array.from({ length: 31 }, (_, i) => (i === 0 ? (10 + 40) / 2 : 10 + (i % 7)));
    const expected = daily.reduce((a, b) => a + b, 0) / 31;
    expect(jan2010).toEqual([expect.objectContaining({
      samples: 32, days: 31, validDays: expect.objectContaining({ COD: 31 }), means: expect.objectContaining({ COD: expect.closeTo(expected, 9) }),
    })]);
  });

  it('a file with bad rows stores the good rows and values and keeps the bad ones in its ledger entry', async () => {
    const pipe = p.get();
    const key = 'incoming/bad-rows.csv';
    await pipe.upload(key, csv(['四新河,2023-07-18 08:00,abc,0.8,0.2', '四新河,2023-07-18 09:00,25,0.5,0.1', ',2023-07-18 10:00,1,1,1']));
    await pipe.idle();
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'done', accepted: 2, rejected: 1, warned: 1 });
    expect(entry!.rejectedRows).toEqual([{ line: 4, reason: 'site is missing' }]);
    expect(entry!.warnings).toEqual([expect.stringMatching(/^line 2, COD 'abc': column '化学需氧量\(mg\/L\)': not a number/)]);
    // The row with the bad COD keeps its NH3-N and TP.
    const stored = await collect(pipe.store.fileSamples(`${LOCAL_BUCKET}/${key}`));
    expect(stored).toHaveLength(2);
    expect(stored.find((x) => x.sample.source.line === 2)!.sample.values).toEqual({ NH3N: 0.8, TP: 0.2 });
  });

  it('a non-monitoring file is quarantined with its report and the raw upload kept', async () => {
    const pipe = p.get();
    const key = 'incoming/年度报告.pdf';
    await pipe.upload(key, Buffer.from('%PDF-1.7 not data'));
    await pipe.idle();
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'failed', quarantineKey: `quarantine/${key}` });
    expect(entry!.error).toMatch(/PDF document/);
    const read = async (k: string) => Buffer.from(await (await pipe.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: k }))).Body!.transformToByteArray());
    expect((await read(key)).toString()).toBe('%PDF-1.7 not data');
    expect((await read(`quarantine/${key}`)).toString()).toBe('%PDF-1.7 not data');
    const report = JSON.parse((await read(`quarantine/${key}.error.json`)).toString());
    expect(report).toMatchObject({ file: `s3://${LOCAL_BUCKET}/${key}`, reason: expect.stringMatching(/PDF/) });
    const outbox = readFileSync(pipe.outboxPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const notice = outbox.find((m) => m.MessageAttributes.kind.StringValue === 'ingest-failure');
    expect(notice.TopicArn).toMatch(/operations$/);
    expect(notice.MessageStructure).toBe('json');
  });

  it('ignores s3:TestEvent and objects outside incoming/', async () => {
    const pipe = p.get();
    const before = pipe.handled.length;
    pipe.queue.send(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: LOCAL_BUCKET }));
    await pipe.upload('elsewhere/x.csv', csv(['四新河,2023-07-19 08:00,25,0.5,0.1']));
    await pipe.idle();
    expect(pipe.handled.length).toBe(before);
    expect(pipe.queue.deadLetters).toEqual([]);
  });
});

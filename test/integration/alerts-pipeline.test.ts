/**
 * Alerts through the local pipeline (s3rver → queue → the ingest handler → dynalite → the outbox):
 * a late file's exceedance reported once in a digest, the same hours from another file silent; a
 * dead-lettered message announced through the durable path, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usePipeline } from '../helpers/pipeline.js';

const header = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';
const rows = (from: number, to: number, cod: (h: number) => number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `四新河,2023-09-05 ${String(from + i).padStart(2, '0')}:00,${cod(from + i)},${(0.5 + ((from + i) % 7) / 100).toFixed(2)}`);
const normal = (h: number) => 18 + (h % 5);

interface Published { Subject: string; Message: string; MessageAttributes: Record<string, { StringValue: string }> }
const outbox = (path: string): Published[] => (existsSync(path) ? readFileSync(path, 'utf8') : '').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Published);
const sms = (m: Published) => (JSON.parse(m.Message) as { sms: string }).sms;

describe('a late file through the pipeline', () => {
  const p = usePipeline();

  it('is reported once, in one digest for the file and site; the same hours from another file stay silent', async () => {
    const pipe = p.get();
    await pipe.upload('incoming/四新河-0905-下午.csv', [header, ...rows(12, 23, normal)].join('\n'));
    await pipe.idle();
    expect(outbox(pipe.outboxPath).filter((m) => /补报/.test(m.Subject))).toEqual([]);
    // the morning arrives afterwards, with 03:00 over target (COD 36)
    const morning = [header, ...rows(0, 11, (h) => (h === 3 ? 36 : normal(h)))].join('\n');
    await pipe.upload('incoming/四新河-0905-上午.csv', morning);
    await pipe.idle();
    const digests = outbox(pipe.outboxPath).filter((m) => /补报/.test(m.Subject));
    expect(digests.map(sms)).toEqual(['四新河出境断面补报迟到数据超标：9月5日03时共1个时次，化学需氧量，详见邮件。']);
    // the same morning again under another name (an export of the same hours): nothing new
    await pipe.upload('incoming/四新河-0905-上午-重发.csv', morning);
    await pipe.idle();
    expect(outbox(pipe.outboxPath).filter((m) => /补报/.test(m.Subject))).toHaveLength(1);
    expect(outbox(pipe.outboxPath).filter((m) => /9月5日03时超标/.test(sms(m)))).toEqual([]); // no episode opened
  });
});

describe('a dead-lettered message', () => {
  const p = usePipeline({ visibilityTimeoutMs: 20, maxReceiveCount: 2 });

  it('is announced to operations through the durable path, once', async () => {
    const pipe = p.get();
    pipe.queue.send('this is not an S3 event');
    await pipe.idle();
    await new Promise((r) => setTimeout(r, 200)); // the notice is recorded and sent beside the queue
    const notices = outbox(pipe.outboxPath).filter((m) => m.MessageAttributes.problem?.StringValue === 'dead-letter');
    expect(notices.map(sms)).toEqual(['碧水运维：文件…able message)多次处理失败，已转入死信队列。']);
    expect(await pipe.services.notifier.sweep()).toMatchObject({ published: 0, failed: false });
  });
});

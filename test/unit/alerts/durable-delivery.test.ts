/**
 * No notification is ever lost, none is sent twice (issue 10, item 1), on in-memory ports with the
 * DynamoDB adapter's conditions: a publisher that fails the Nth call, for every N across a
 * 240-notification burst and for each ingest notice kind, then the sweeps that every ingest run and
 * the watchdog make → every message delivered exactly once, in order. (On DynamoDB: the
 * integration test outbox.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { deadLetterNotice } from '../../../shared/alerts/ingest-notices.js';
import { AlertIngestListener } from '../../../shared/alerts/ingest-listener.js';
import { notificationsFor } from '../../../shared/alerts/messages.js';
import { applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import type { LedgerEntry, Notification } from '../../../shared/ports/index.js';
import { alertRig, hours, registry } from './helpers.js';

const config = { ...DEFAULT_ALERT_CONFIG, digestAbove: 1000 }; // every notification on its own
// an exceedance every fourth hour, each followed by a recovery: 240 notifications from one update
const burst = hours('sixinhe', 0, 480, (h) => ({ COD: h % 4 === 0 ? 36 : 20 }));
const expected = notificationsFor(applySamples(emptyState(), registry.resolve('sixinhe'), burst, config).events, registry.resolve('sixinhe'), undefined, config).map((n) => n.sms);

/** Sweeps until the outbox is empty (or it stops changing): what the next runs would do. */
async function drain(rig: ReturnType<typeof alertRig>): Promise<void> {
  for (let i = 0; i < 10 && (await rig.outbox.pending(1)).length > 0; i++) await rig.notifier.sweep();
}

const texts = (sent: readonly Notification[]) => sent.map((n) => n.sms);

describe('a 240-notification burst with one failed publish', () => {
  it('holds 240 notifications', () => {
    expect(expected).toHaveLength(240);
    expect(new Set(expected).size).toBe(240);
  });

  it('for every N in 1…240: the Nth publish fails, yet every message is delivered once, in order', async () => {
    for (let n = 1; n <= 240; n++) {
      const rig = alertRig({ failOn: [n], config });
      await rig.engine.onStored(burst); // recorded before it returns: a failed publish is not the file's failure
      expect(rig.publisher.sent.length, `N=${n}: sent before the failure`).toBe(n - 1);
      await drain(rig);
      expect(texts(rig.publisher.sent), `N=${n}`).toEqual(expected);
    }
  }, 120_000);

  it('SNS down for a while (calls 100–180 fail): still every message once, in order', async () => {
    const rig = alertRig({ failOn: Array.from({ length: 81 }, (_, i) => 100 + i), config });
    await rig.engine.onStored(burst);
    for (let i = 0; i < 100 && (await rig.outbox.pending(1)).length > 0; i++) await rig.notifier.sweep();
    expect(texts(rig.publisher.sent)).toEqual(expected);
  });

  it('a later update of the site does not overtake what is still waiting', async () => {
    const rig = alertRig({ failOn: [5], config });
    await rig.engine.onStored(burst);
    await rig.engine.onStored(hours('sixinhe', 480, 1, () => ({ COD: 38 }))); // flushes the site's pages in order
    await drain(rig);
    expect(texts(rig.publisher.sent).slice(0, 240)).toEqual(expected);
    expect(rig.publisher.sent).toHaveLength(241);
  });
});

describe('ingest notices with a failed publish', () => {
  const base = { fileId: 'raw/incoming/x.csv', bucket: 'raw', key: 'incoming/x.csv', version: 'v1', attempts: 1, receivedAt: '2023-07-01T00:00:00Z' } as const;
  const quarantined: LedgerEntry = { ...base, status: 'failed', error: 'is a PDF document', errorZh: '文件是文档、图片或压缩包等，不是监测数据', quarantineKey: 'quarantine/incoming/x.csv', accepted: 0, rejected: 0 };
  const rejected: LedgerEntry = { ...base, status: 'done', accepted: 3, rejected: 9, rejectedRows: [{ line: 2, reason: "column 'COD' is not a number: 'abc'" }], sites: ['sixinhe'] };

  const kinds: [string, (l: AlertIngestListener, rig: ReturnType<typeof alertRig>) => Promise<void>][] = [
    ['quarantined', (l) => l.fileQuarantined(quarantined, [])],
    ['rejected-rows', (l) => l.fileDone(rejected, [])],
    ['dead-letter', (_l, rig) => rig.notifier.notify('dead-letter:m-1:raw/incoming/x.csv', [deadLetterNotice({ bucket: 'raw', key: 'incoming/x.csv', reason: 'DynamoDB did not accept 25 items after 10 attempts' })])],
  ];

  it.each(kinds)('%s: the publish fails, the work is retried, a retry sends it — once', async (kind, work) => {
    const rig = alertRig({ failOn: [1] });
    const listener = new AlertIngestListener({ engine: rig.engine, notifier: rig.notifier, registry, config: DEFAULT_ALERT_CONFIG });
    await work(listener, rig); // recorded in the outbox before the ledger would acknowledge the file
    expect(rig.publisher.calls).toBeGreaterThanOrEqual(1);
    await work(listener, rig); // the same work again (a crash before the ledger entry): sent now, recorded once
    await drain(rig);
    await work(listener, rig); // and again after it was sent: recorded once, so nothing more
    await drain(rig);
    expect(rig.publisher.sent.map((n) => n.attributes.problem)).toEqual([kind]);
    expect(rig.publisher.calls).toBe(2);
  });

  it.each(kinds)('%s: nothing fails — sent at once, once', async (kind, work) => {
    const rig = alertRig();
    const listener = new AlertIngestListener({ engine: rig.engine, notifier: rig.notifier, registry, config: DEFAULT_ALERT_CONFIG });
    await work(listener, rig);
    expect(rig.publisher.sent.map((n) => n.attributes.problem)).toEqual([kind]);
    await work(listener, rig);
    expect(rig.publisher.sent).toHaveLength(1);
  });
});

describe('a worker that crashes around its state write', () => {
  const exceed = hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 }));

  it('before the write: its tentative page is never sent; the retried work announces once', async () => {
    const rig = alertRig();
    const save = rig.states.save.bind(rig.states);
    rig.states.save = async () => { throw new Error('crash'); };
    await expect(rig.engine.onStored(exceed)).rejects.toThrow('crash');
    rig.states.save = save;
    expect(await rig.outbox.pending(10)).toEqual([expect.objectContaining({ status: 'tentative' })]);
    await rig.notifier.sweep(); // its writer might still save: left alone
    expect(rig.publisher.sent).toEqual([]);
    await rig.engine.onStored(exceed); // the message comes back
    await drain(rig); // the crashed writer's page is judged lost now, and goes
    expect(rig.publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance']);
    expect(await rig.outbox.pending(10)).toEqual([]);
  });

  it('after the write, before sending: the sweep, or the next writer, sends its page — once', async () => {
    for (const recover of ['sweep', 'next writer'] as const) {
      const rig = alertRig();
      const flush = rig.notifier.flushOwner.bind(rig.notifier);
      rig.notifier.flushOwner = async () => { throw new Error('crash'); };
      await expect(rig.engine.onStored(exceed)).rejects.toThrow('crash');
      rig.notifier.flushOwner = flush;
      expect(rig.publisher.sent).toEqual([]);
      if (recover === 'sweep') await rig.notifier.sweep();
      else await rig.engine.onStored(hours('sixinhe', 2, 1, () => ({ COD: 37 })));
      expect(rig.publisher.sent.map((n) => n.attributes.kind), recover).toEqual(['exceedance']);
      await drain(rig);
      await rig.engine.onStored(hours('sixinhe', 3, 1, () => ({ COD: 38 })));
      expect(rig.publisher.sent, recover).toHaveLength(1);
    }
  });
});

/**
 * The notification outbox and the alert state on dynalite: a publish that fails the Nth call in a
 * 240-notification burst, and ingest notices through the composition root's wiring, are delivered
 * once; twenty writers on one site's state and the watchdog all get through, nothing sent twice.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../functions/commons/composition-root.js';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import { localConfig } from '../../local/runtime/pipeline.js';
import { DynamoAlertStateStore } from '../../shared/adapters/dynamo/alert-state-store.js';
import { DynamoOutboxStore } from '../../shared/adapters/dynamo/outbox-store.js';
import { silentLog } from '../../shared/adapters/silent-log.js';
import { DEFAULT_ALERT_CONFIG } from '../../shared/alerts/config.js';
import { AlertEngine } from '../../shared/alerts/engine.js';
import { notificationsFor } from '../../shared/alerts/messages.js';
import { Notifier } from '../../shared/alerts/notifier.js';
import { applySamples, emptyState } from '../../shared/alerts/site-rules.js';
import { ingestObject } from '../../shared/ingest/ingest-object.js';
import { FailingPublisher } from '../helpers/memory-stores.js';
import { usePipeline } from '../helpers/pipeline.js';
import { HOUR, T0, hours, registry } from '../unit/alerts/helpers.js';

const p = usePipeline({ alerts: false });
const config = { ...DEFAULT_ALERT_CONFIG, digestAbove: 1000 };

/** An engine on the pipeline's table, with its own notifier over a given publisher. */
function engineOn(publisher: FailingPublisher) {
  const { doc } = p.get();
  const states = new DynamoAlertStateStore(doc, 'bishui');
  const notifier: Notifier = new Notifier({ outbox: new DynamoOutboxStore(doc, 'bishui'), publisher, log: silentLog, resolve: (page) => engine.resolvePage(page) });
  const engine: AlertEngine = new AlertEngine({ states, notifier, registry, samples: p.get().store, config });
  return { engine, notifier, outbox: new DynamoOutboxStore(doc, 'bishui'), states };
}

async function drain(notifier: Notifier, outbox: DynamoOutboxStore): Promise<void> {
  for (let i = 0; i < 10 && (await outbox.pending(1)).length > 0; i++) await notifier.sweep();
}

describe('a 240-notification burst on DynamoDB, the Nth publish failing', () => {
  it.each([1, 2, 120, 239, 240])('N=%i: every message once, in order', async (n) => {
    const site = `burst-${n}`; // a site of its own per case (an unregistered station)
    const burst = hours(site, 0, 480, (h) => ({ COD: h % 4 === 0 ? 36 : 20 }), { registered: false });
    const expected = notificationsFor(applySamples(emptyState(), registry.resolve(site), burst, config).events, registry.resolve(site), undefined, config).map((x) => x.sms);
    expect(expected).toHaveLength(240);
    const publisher = new FailingPublisher(new Set([n]));
    const { engine, notifier, outbox } = engineOn(publisher);
    await engine.onStored(burst);
    await drain(notifier, outbox);
    expect(publisher.sent.map((x) => x.sms)).toEqual(expected);
    expect(await outbox.pagesOf(`site:${site}`)).toEqual([]);
  }, 60_000);
});

describe('ingest notices on DynamoDB, through the composition root', () => {
  it('a quarantined file whose notice fails to publish, and whose run is retried after a crash, is announced once', async () => {
    const pipe = p.get();
    const publisher = new FailingPublisher(new Set([1, 2])); // the notice's publish and the sweep right after it
    let clock = Date.parse('2024-01-01T00:00:00Z');
    const services = compose(localConfig(1_000), { dynamo: pipe.dynamo, s3: pipe.s3, publisher }, { registry, now: () => clock });
    const ref = await pipe.upload('outside/report.pdf', '%PDF-1.7 not data');
    // the first run records the notice, then crashes before its ledger entry acknowledges the file
    const crashing = { ...services.ingest, ledger: { ...services.ingest.ledger, get: services.ingest.ledger.get.bind(services.ingest.ledger), acquire: services.ingest.ledger.acquire.bind(services.ingest.ledger), complete: async () => { throw new Error('crash'); } } };
    await expect(ingestObject(ref, crashing)).rejects.toThrow('crash');
    expect(publisher.sent).toEqual([]);
    clock += 2_000; // the lease runs out; the message comes back
    expect((await ingestObject(ref, services.ingest)).status).toBe('failed');
    await drain(services.notifier, new DynamoOutboxStore(pipe.doc, 'bishui'));
    expect(publisher.sent.map((n) => [n.attributes.problem, n.sms])).toEqual([['quarantined', '碧水运维：文件report.pdf无法读取，已隔离：文件是文档、图片或压缩包等，不是监测数据']]);
    expect((await ingestObject(ref, services.ingest)).status).toBe('duplicate');
    await services.notifier.sweep();
    expect(publisher.sent).toHaveLength(1);
  });
});

describe('twenty writers on one site at once, and the watchdog', () => {
  it('all get through, nothing announced twice', async () => {
    const publisher = new FailingPublisher();
    const rigs = Array.from({ length: 21 }, () => engineOn(publisher));
    // each writer brings its own hour of 赵牛河's station export; hour 7 is over target
    const writes = rigs.slice(0, 20).map((r, h) => r.engine.onStored(hours('zhaoniuhe', h, 1, (x) => ({ COD: x === 7 ? 36 : 18 + (x % 5), NH3N: 0.5 + (x % 7) / 100 }), { source: { file: 'zhaoniuhe-export.csv', line: h + 2 } })));
    const watchdog = rigs[20]!.engine.checkSilence('zhaoniuhe', T0 + 30 * HOUR);
    const results = await Promise.allSettled([...writes, watchdog]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([]);
    const stored = await rigs[0]!.states.load('zhaoniuhe');
    // the earliest and the latest hour both reached the state (a reading inside what is known may change nothing)
    const state = JSON.parse(stored!.data);
    expect(state.trackers.COD.seenAt).toBe(T0 + 19 * HOUR);
    expect(state.series['file:zhaoniuhe-export.csv'].first).toBe(T0);
    await rigs[0]!.engine.fileFinished('zhaoniuhe-export.csv', ['zhaoniuhe']);
    const texts = publisher.sent.map((n) => n.sms);
    expect(new Set(texts).size).toBe(texts.length);
    // hour 7 is announced once: in time (opened) or, when a later hour was judged first, in the file's late digest
    expect(texts.filter((t) => /7月1日07时(超标|共)/.test(t))).toHaveLength(1);
  }, 120_000);

  it('twenty writers with the same readings announce the opening and the recovery once between them', async () => {
    const publisher = new FailingPublisher();
    const batch = hours('xiaomeihe', 0, 6, (h) => ({ COD: h === 2 ? 35 : 18 + (h % 5), NH3N: 0.5 + (h % 7) / 100 }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => engineOn(publisher).engine.onStored(batch)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance', 'recovery']);
  }, 120_000);
});

/**
 * The alert engine over generated years (in-memory ports): a clean, noisy year raises nothing; the
 * shipped year's flood-season storm is caught on its day with the indicators that drove it; two
 * workers at once announce one opening; a failed publish loses nothing and sends nothing twice.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { notificationsFor } from '../../../shared/alerts/messages.js';
import { applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import { DayPartCollector } from '../../../shared/ingest/day-parts.js';
import { DYNAMO_MAX_ITEM_BYTES } from '../../../shared/limits.js';
import { openMonitoringFile } from '../../../shared/parsers/read.js';
import { generateSamples } from '../../../local/sample-data/generate.js';
import { tempDir } from '../../helpers/tmp.js';
import { alertRig, at, hours, registry } from './helpers.js';

async function runYear(files: string[]) {
  const rig = alertRig();
  for (const path of files) {
    const name = basename(path);
    const opened = await openMonitoringFile(createReadStream(path), name, { registry, now: () => Date.parse('2024-06-01T00:00:00Z') });
    const parts = new DayPartCollector(name, 'Asia/Shanghai');
    let chunk: EvaluatedSample[] = [];
    for await (const batch of opened.batches) {
      for (const ev of batch) {
        if (ev.type !== 'sample') continue;
        chunk.push({ sample: ev.sample, evaluation: evaluateSample(ev.sample, registry.resolve(ev.sample.site)) });
        parts.add(ev.sample);
        if (chunk.length === 500) { await rig.engine.onStored(chunk); chunk = []; }
      }
    }
    await rig.engine.onStored(chunk);
    rig.days.add(parts.takeAll());
    await rig.engine.afterFile(parts.days());
  }
  return rig.publisher;
}

describe('a generated year', () => {
  const tmp = tempDir('bishui-year-');

  it('a clean, noisy year raises no alert at all (zero false alarms)', async () => {
    const files = generateSamples({ outDir: `${tmp.dir}/clean`, clean: true, seed: 7 });
    const sent = (await runYear(files)).sent;
    expect(sent.map((n) => n.sms)).toEqual([]);
  }, 120_000);

  it('the flood-season storm of 15 July is caught on its day, naming the indicators that rose', async () => {
    const files = generateSamples({ outDir: `${tmp.dir}/storms`, months: [5, 6, 7, 8] });
    const sent = (await runYear(files)).sent;
    const swings = sent.filter((n) => n.attributes.kind === 'fluctuation');
    const july15 = swings.filter((n) => /7月15日/.test(n.sms));
    expect(july15.length).toBeGreaterThanOrEqual(1);
    for (const n of july15) {
      expect(n.attributes.param).toMatch(/^(TP|NH3N|COD|DO|CODMn)$/);
      expect(n.email).toMatch(/主要拉高指标/);
    }
    // quiet otherwise: swings only on storm days (15 July, 2 and 14 August) or the day after
    for (const n of swings) expect(n.sms).toMatch(/7月1[56]日|8月[23]日|8月1[45]日/);
    expect(sent.length).toBeLessThan(40);
  }, 120_000);
});

describe('two workers at once', () => {
  it('announce one opening between them (version-checked state)', async () => {
    const a = alertRig();
    const b = alertRig({ states: a.states, outbox: a.outbox, publisher: a.publisher });
    const batch = hours('sixinhe', 0, 6, (h) => ({ COD: h === 2 ? 35 : 20 }));
    await Promise.all([a.engine.onStored(batch), b.engine.onStored(batch)]);
    expect(a.publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance', 'recovery']);
    await a.engine.onStored([at('sixinhe', 3, { COD: 36 })]); // the same hour again, late
    expect(a.publisher.sent).toHaveLength(2);
  });
});

describe('a failed publish', () => {
  it('leaves the notification in the outbox; a sweep sends it once, later updates never again', async () => {
    const rig = alertRig({ failOn: [1] });
    await rig.engine.onStored(hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 }))); // recorded: no throw
    expect(rig.publisher.sent).toEqual([]);
    expect(await rig.outbox.pending(10)).toHaveLength(1);
    expect(await rig.notifier.sweep()).toMatchObject({ published: 1, failed: false });
    expect(rig.publisher.sent.map((n) => [n.attributes.kind, n.attributes.param])).toEqual([['exceedance', 'COD']]);
    await rig.engine.onStored([at('sixinhe', 2, { COD: 37 })]); // an ongoing exceedance: nothing new
    await rig.engine.onStored([at('sixinhe', 3, { COD: 37 })]);
    await rig.notifier.sweep();
    expect(rig.publisher.sent).toHaveLength(1);
    expect(await rig.outbox.pending(10)).toEqual([]);
  });

  it('or the site\'s next update sends it', async () => {
    const rig = alertRig({ failOn: [1] });
    await rig.engine.onStored(hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 })));
    expect(rig.publisher.sent).toEqual([]);
    await rig.engine.onStored([at('sixinhe', 2, { COD: 37 })]);
    expect(rig.publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance']);
    expect(await rig.outbox.pending(10)).toEqual([]);
  });

  it('a publish that succeeds leaves nothing in the outbox', async () => {
    const rig = alertRig();
    await rig.engine.onStored(hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 })));
    expect(rig.publisher.sent).toHaveLength(1);
    expect(await rig.outbox.pending(10)).toEqual([]);
    expect(JSON.parse(rig.states.items.get('sixinhe')!.data).outbox).toBeUndefined();
  });

  it('a state queued by the engine before the outbox is sent on the next write, then gone', async () => {
    const rig = alertRig();
    const [legacy] = notificationsFor(applySamples(emptyState(), registry.resolve('sixinhe'), [at('sixinhe', 0, { COD: 36 })], DEFAULT_ALERT_CONFIG).events, registry.resolve('sixinhe'));
    rig.states.items.set('sixinhe', { data: JSON.stringify({ ...emptyState(), outbox: [{ id: 'x', at: 0, n: legacy }] }), version: 1 });
    await rig.engine.onStored([at('sixinhe', 1, { COD: 20 })]);
    expect(rig.publisher.sent.map((n) => n.sms)).toEqual([legacy!.sms]);
    expect(JSON.parse(rig.states.items.get('sixinhe')!.data).outbox).toBeUndefined();
  });
});

describe('a burst of notifications from one update', () => {
  // an exceedance every fourth hour, each followed by a recovery: hundreds of notices in one chunk
  const burst = hours('sixinhe', 0, 1200, (h) => ({ COD: h % 4 === 0 ? 36 : 20 }));

  it('is one digest by default: its SMS gives the count, its email lists every message', async () => {
    const rig = alertRig();
    await rig.engine.onStored(burst);
    expect(rig.publisher.sent).toHaveLength(1);
    const [digest] = rig.publisher.sent;
    expect(digest!.sms).toMatch(/共600条：超标300条、恢复300条，详见邮件。$/);
    expect(digest!.email.split('\n').filter((l) => l.startsWith('■ '))).toHaveLength(600);
    expect(digest!.attributes.kind).toEqual(['exceedance', 'recovery']);
  });

  it('without the digest, spills over outbox pages under DynamoDB\'s item size and sends every one, in order', async () => {
    const config = { ...DEFAULT_ALERT_CONFIG, digestAbove: 10_000 };
    const rig = alertRig({ config });
    const expected = notificationsFor(applySamples(emptyState(), registry.resolve('sixinhe'), burst, config).events, registry.resolve('sixinhe'), undefined, config).map((n) => n.sms);
    expect(expected.length).toBe(600);
    let largest = 0;
    let written = 0;
    const add = rig.outbox.add.bind(rig.outbox);
    rig.outbox.add = async (page) => { written++; largest = Math.max(largest, Buffer.byteLength(JSON.stringify(page))); return add(page); };
    await rig.engine.onStored(burst);
    expect(rig.publisher.sent.map((n) => n.sms)).toEqual(expected);
    expect(written).toBeGreaterThan(1);
    expect(largest).toBeLessThan(DYNAMO_MAX_ITEM_BYTES);
    expect(await rig.outbox.pending(10)).toEqual([]);
  });
});

/**
 * The alert engine over generated years (in-memory ports): a clean, noisy year raises nothing; the
 * shipped year's flood-season storm is caught on its day with the indicators that drove it; two
 * workers at once announce one opening.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../shared/alerts/engine.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import { DayPartCollector } from '../../../shared/ingest/day-parts.js';
import { openMonitoringFile } from '../../../shared/parsers/read.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import { applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { notificationFor } from '../../../shared/alerts/messages.js';
import type { Notification } from '../../../shared/ports/index.js';
import { generateSamples } from '../../../local/sample-data/generate.js';
import { MemoryDays, MemoryPublisher, MemoryStateStore } from '../../helpers/memory-stores.js';
import { tempDir } from '../../helpers/tmp.js';
import { at, hours, registry } from './helpers.js';

async function runYear(files: string[]): Promise<MemoryPublisher> {
  const publisher = new MemoryPublisher();
  const days = new MemoryDays();
  const engine = new AlertEngine({ states: new MemoryStateStore(), publisher, registry, samples: days });
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
        if (chunk.length === 500) { await engine.onStored(chunk); chunk = []; }
      }
    }
    await engine.onStored(chunk);
    days.add(parts.takeAll());
    await engine.afterFile(parts.days());
  }
  return publisher;
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
    const publisher = new MemoryPublisher();
    const states = new MemoryStateStore();
    const days = new MemoryDays();
    const a = new AlertEngine({ states, publisher, registry, samples: days });
    const b = new AlertEngine({ states, publisher, registry, samples: days });
    const batch = hours('sixinhe', 0, 6, (h) => ({ COD: h === 2 ? 35 : 20 }));
    await Promise.all([a.onStored(batch), b.onStored(batch)]);
    expect(publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance', 'recovery']);
    await a.onStored([at('sixinhe', 3, { COD: 36 })]); // the same hour again, late
    expect(publisher.sent).toHaveLength(2);
  });
});

describe('a failed publish', () => {
  class FlakyPublisher extends MemoryPublisher {
    failNext = 0;
    override async publish(n: Notification): Promise<void> {
      if (this.failNext > 0) { this.failNext--; throw new Error('SNS: Rate exceeded'); }
      await super.publish(n);
    }
  }

  it('keeps the notification queued with the state; it is sent once, by a later update, not lost', async () => {
    const publisher = new FlakyPublisher();
    const states = new MemoryStateStore();
    let clock = Date.parse('2023-07-01T12:00:00Z');
    const engine = new AlertEngine({ states, publisher, registry, samples: new MemoryDays(), now: () => clock });
    publisher.failNext = 1;
    await expect(engine.onStored(hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 })))).rejects.toThrow(/Rate exceeded/);
    expect(publisher.sent).toEqual([]);
    expect(JSON.parse(states.items.get('sixinhe')!.data).outbox).toHaveLength(1);

    clock += 10_000; // the failed worker's message comes back soon: not yet another worker's to send
    await engine.onStored([at('sixinhe', 2, { COD: 37 })]);
    expect(publisher.sent).toEqual([]);

    clock += 60_000;
    await engine.onStored([at('sixinhe', 3, { COD: 37 })]);
    expect(publisher.sent.map((n) => [n.attributes.kind, n.attributes.param])).toEqual([['exceedance', 'COD']]);
    expect(JSON.parse(states.items.get('sixinhe')!.data).outbox).toBeUndefined();

    clock += 120_000;
    await engine.onStored([at('sixinhe', 4, { COD: 37 })]);
    expect(publisher.sent).toHaveLength(1); // sent once, never again
  });

  it('a publish that succeeds leaves no queue behind', async () => {
    const publisher = new MemoryPublisher();
    const states = new MemoryStateStore();
    const engine = new AlertEngine({ states, publisher, registry, samples: new MemoryDays() });
    await engine.onStored(hours('sixinhe', 0, 2, (h) => ({ COD: h === 1 ? 36 : 20 })));
    expect(publisher.sent).toHaveLength(1);
    expect(JSON.parse(states.items.get('sixinhe')!.data).outbox).toBeUndefined();
  });
});

describe('a burst of notifications from one update', () => {
  it('queues no more than fits in one state item, and still sends every one, in order', async () => {
    const publisher = new MemoryPublisher();
    const states = new MemoryStateStore();
    const engine = new AlertEngine({ states, publisher, registry, samples: new MemoryDays() });
    // an exceedance every fourth hour, each followed by a recovery: hundreds of notices in one chunk
    const burst = hours('sixinhe', 0, 1200, (h) => ({ COD: h % 4 === 0 ? 36 : 20 }));
    const expected = applySamples(emptyState(), 'sixinhe', burst, DEFAULT_ALERT_CONFIG).events.map((e) => notificationFor(e, registry.resolve('sixinhe')).sms);
    expect(expected.length).toBeGreaterThan(500);
    let largest = 0;
    const save = states.save.bind(states);
    states.save = async (site, data, v) => { largest = Math.max(largest, Buffer.byteLength(data)); return save(site, data, v); };
    await engine.onStored(burst);
    expect(publisher.sent.map((n) => n.sms)).toEqual(expected);
    expect(largest).toBeLessThan(400 * 1024); // DynamoDB's item limit
    expect(JSON.parse(states.items.get('sixinhe')!.data).outbox).toBeUndefined();
  });
});

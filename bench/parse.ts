/**
 * Parse + evaluate throughput of a wide CSV against csv-parse's bare parse of the same file, HJ 212
 * packets per second, and peak RSS. Each measurement runs in a fresh process so RSS is its own.
 */
import { createReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { defaultRegistry } from '../shared/config/registry.js';
import { evaluateSample } from '../shared/domain/evaluate.js';
import { openMonitoringFile } from '../shared/parsers/read.js';

export interface RunFigures { seconds: number; cpuSeconds: number; records: number; rejected: number; maxRssMB: number; bytes: number }

/** csv-parse alone, as a baseline: decode nothing, evaluate nothing. */
export async function bareCsvParse(path: string): Promise<RunFigures> {
  const t0 = process.hrtime.bigint();
  let records = 0;
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true }));
  for await (const _ of parser) records++;
  return figures(t0, records - 1, 0, path);
}

/** Our reader: detect, decode, map headers, build samples, evaluate each. */
export async function parseAndEvaluate(path: string): Promise<RunFigures> {
  const registry = defaultRegistry();
  const t0 = process.hrtime.bigint();
  let records = 0;
  let rejected = 0;
  const opened = await openMonitoringFile(createReadStream(path), path, { registry });
  for await (const batch of opened.batches) {
    for (const ev of batch) {
      if (ev.type === 'sample') {
        evaluateSample(ev.sample, registry.resolve(ev.sample.site));
        records++;
      } else if (ev.type === 'rejected') rejected++;
    }
  }
  return figures(t0, records, rejected, path);
}

function figures(t0: bigint, records: number, rejected: number, path: string): RunFigures {
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, records, rejected, maxRssMB: process.resourceUsage().maxRSS / 1024, bytes: statSync(path).size };
}

/** What a continuation does before it goes on: read the file from its start and count its events off, evaluating none. */
export async function replay(path: string): Promise<{ seconds: number; events: number }> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  const opened = await openMonitoringFile(createReadStream(path), path, { registry: defaultRegistry() });
  for await (const batch of opened.batches) events += batch.length;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, events };
}

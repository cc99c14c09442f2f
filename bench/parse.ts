/**
 * What one child process measures (bench/main.ts compares them): a candidate's bare parse, parse +
 * evaluate of a wide CSV or an HJ 212 log as the pipeline ships, an Excel workbook's rows; each with
 * its peak RSS, as it runs in a fresh process.
 */
import { createReadStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { defaultRegistry } from '../shared/config/registry.js';
import { evaluateSample } from '../shared/domain/evaluate.js';
import { openMonitoringFile } from '../shared/parsers/read.js';
import type { ParseEvent } from '../shared/parsers/types.js';
import { xlsxRows } from '../shared/parsers/xlsx-rows.js';
import { bareParse, type Candidate } from './candidates.js';

export interface RunFigures { seconds: number; cpuSeconds: number; records: number; rejected: number; maxRssMB: number; bytes: number }

/** One candidate parser alone (bench/candidates.ts): records, not samples. */
export async function bareCandidate(candidate: Candidate, path: string): Promise<RunFigures> {
  const t0 = start();
  const records = await bareParse(candidate, path);
  return figures(t0, records, 0, path);
}

/** Our reader as it ships: detect, decode, tokenize (csv-rows), map headers, build samples, evaluate each. */
export async function parseAndEvaluate(path: string): Promise<RunFigures> {
  const registry = defaultRegistry();
  const t0 = start();
  const opened = await openMonitoringFile(createReadStream(path), path, { registry });
  return evaluateAll(t0, opened.batches, registry, path);
}

/** Rows of a workbook through xlsx-rows.ts (cells as text, bounds, spooled sheets). */
export async function xlsxRowsRead(path: string): Promise<RunFigures> {
  const t0 = start();
  let records = 0;
  for await (const batch of xlsxRows(createReadStream(path), path).rows) records += batch.length;
  return figures(t0, records, 0, path);
}

/** Rows of the same workbook through exceljs's own streaming WorkbookReader, values untouched: the baseline. */
export async function bareExcelJs(path: string): Promise<RunFigures> {
  const t0 = start();
  let records = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) for await (const _ of sheet) records++;
  return figures(t0, records, 0, path);
}

async function evaluateAll(
  t0: Start, batches: AsyncIterable<ParseEvent[]>, registry: ReturnType<typeof defaultRegistry>, path: string,
): Promise<RunFigures> {
  let records = 0;
  let rejected = 0;
  for await (const batch of batches) {
    for (const ev of batch) {
      if (ev.type === 'sample') {
        evaluateSample(ev.sample, registry.resolve(ev.sample.site));
        records++;
      } else if (ev.type === 'rejected') rejected++;
    }
  }
  return figures(t0, records, rejected, path);
}

/** When a measurement started, by the clock and by the CPU time this process had used until then. */
interface Start { readonly at: bigint; readonly cpu: NodeJS.CpuUsage }

function start(): Start {
  return { at: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

/** `cpuSeconds` is the CPU time of the measured part alone (not loading modules): steadier than the clock on a shared machine. */
function figures(t0: Start, records: number, rejected: number, path: string): RunFigures {
  const seconds = Number(process.hrtime.bigint() - t0.at) / 1e9;
  const cpu = process.cpuUsage(t0.cpu);
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

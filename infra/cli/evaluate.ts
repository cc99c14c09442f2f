/**
 * `bishui evaluate FILE... [--json]`: reads monitoring files, evaluates every sample against GB 3838
 * and the site's target, and prints a table or the JSON documented in the README.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import type { SampleView } from '../../shared/domain/sample-view.js';
import { sampleView } from '../../shared/domain/sample-view.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { openMonitoringFile } from '../../shared/parsers/read.js';
import { rowLabel } from '../../shared/parsers/table-rows.js';
import { FileRejectedError } from '../../shared/parsers/types.js';
import { renderSamples } from './sample-table.js';
import { type CliIo, loadRegistryOption } from './io.js';

export interface FileReport {
  file: string;
  format: string | null;
  accepted: number;
  rejected: number;
  /** Records that carry no sample by design (footer and remarks rows, HJ 212 heartbeats and log lines). */
  skipped: number;
  /** Values dropped from kept samples (listed under `warnings`). */
  warnings: number;
  /** Cells without a value (blank, --, #N/A, 缺测…). */
  missing: number;
  encoding?: string;
  error?: string;
  /** What the file as a whole is worth telling (columns not used…), for the table output. */
  notes?: string[];
}

export interface Rejection { file: string; line: number; sheet?: string; reason: string }
export interface CellWarning { file: string; line: number; sheet?: string; param: string; value: string; reason: string }

export interface EvaluateResult {
  files: FileReport[];
  samples: SampleView[];
  rejected: Rejection[];
  warnings: CellWarning[];
}

export async function evaluateFiles(paths: readonly string[], registry: SiteRegistry, zone?: string): Promise<EvaluateResult> {
  const result: EvaluateResult = { files: [], samples: [], rejected: [], warnings: [] };
  for (const path of paths) {
    const file = basename(path);
    const report: FileReport = { file, format: null, accepted: 0, rejected: 0, skipped: 0, warnings: 0, missing: 0 };
    result.files.push(report);
    try {
      const opened = await openMonitoringFile(createReadStream(path), file, { registry, key: path, ...(zone ? { zone } : {}) });
      report.format = opened.format;
      report.encoding = opened.encoding + (opened.gzip ? ' (gzip)' : '');
      for await (const batch of opened.batches) for (const ev of batch) {
        switch (ev.type) {
          case 'sample': {
            const site = registry.resolve(ev.sample.site);
            result.samples.push(sampleView(ev.sample, evaluateSample(ev.sample, site), zone));
            report.accepted++;
            break;
          }
          case 'rejected':
            report.rejected++;
            result.rejected.push({ file, line: ev.line, ...(ev.sheet !== undefined ? { sheet: ev.sheet } : {}), reason: ev.reason });
            break;
          case 'skipped':
            report.skipped++;
            break;
          case 'cell': {
            report.warnings++;
            const { type: _t, ...fault } = ev;
            result.warnings.push({ file, ...fault });
            break;
          }
          case 'missing':
            report.missing += ev.count;
            break;
          case 'warning':
            (report.notes ??= []).push(ev.line === undefined ? ev.message : `line ${ev.line}: ${ev.message}`);
            break;
        }
      }
    } catch (err) {
      report.error = err instanceof FileRejectedError ? err.reason : describeIoError(err, path);
    }
  }
  return result;
}

function describeIoError(err: unknown, path: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `no such file: ${path}`;
  if (e.code === 'EISDIR') return `is a directory, not a file: ${path}`;
  if (e.code === 'EACCES') return `permission denied: ${path}`;
  return `cannot be read: ${e.message}`;
}

export function renderEvaluation(r: EvaluateResult): string {
  const out: string[] = [];
  for (const f of r.files) {
    const extra = [
      f.skipped ? `${f.skipped} skipped (no data)` : '', f.warnings ? `${f.warnings} values dropped` : '', f.missing ? `${f.missing} missing` : '',
    ].filter((x) => x !== '').map((x) => `, ${x}`).join('');
    const status = f.error ? `NOT READ — ${f.error}` : `${f.format}, ${f.encoding}: ${f.accepted} accepted, ${f.rejected} rejected${extra}`;
    out.push(`${f.file}: ${status}`);
    for (const w of f.notes ?? []) out.push(`  note: ${w}`);
  }
  if (r.samples.length > 0) out.push('', renderSamples(r.samples));
  if (r.rejected.length > 0) {
    out.push('', `Rejected (${r.rejected.length}):`);
    for (const x of r.rejected) out.push(`  ${x.file}:${rowLabel(x.line, x.sheet)}: ${x.reason}`);
  }
  if (r.warnings.length > 0) {
    out.push('', `Values dropped (${r.warnings.length}):`);
    for (const x of r.warnings) out.push(`  ${x.file}:${rowLabel(x.line, x.sheet)}: ${x.param} '${x.value}' — ${x.reason}`);
  }
  return out.join('\n');
}

export function registerEvaluate(program: Command, io: CliIo): void {
  program
    .command('evaluate')
    .description('read monitoring files (CSV/TSV, JSON, NDJSON, HJ 212 logs; gzip ok) and grade every sample')
    .argument('<files...>', 'files to read')
    .option('--json', 'print machine-readable JSON')
    .option('--sites <file>', 'site registry (default: config/sites.json or $BISHUI_SITES)')
    .option('--zone <iana>', 'time zone of naive local times', 'Asia/Shanghai')
    .action(async (files: string[], opts: { json?: boolean; sites?: string; zone: string }) => {
      const registry = loadRegistryOption(opts.sites);
      const result = await evaluateFiles(files, registry, opts.zone);
      if (opts.json) {
        const { files: reports, samples, rejected, warnings } = result;
        io.out(JSON.stringify({
          files: reports.map(({ notes: _n, encoding: _e, ...f }) => f),
          samples, rejected, warnings,
        }, null, 2));
      } else {
        io.out(renderEvaluation(result));
      }
      for (const f of result.files) if (f.error) io.err(`bishui: ${f.file}: ${f.error}`);
      io.setExit(result.files.some((f) => f.error) ? 2 : 0);
    });
}

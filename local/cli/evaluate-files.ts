/** Reading and evaluating local monitoring files for `bishui evaluate`: each sample and rejection as it comes. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import { type SampleView, sampleView } from '../../shared/domain/sample-view.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { openMonitoringFile } from '../../shared/parsers/read.js';
import { rowLabel } from '../../shared/parsers/table-rows.js';
import { FileRejectedError } from '../../shared/parsers/types.js';
import { describeFileError } from './file-errors.js';

export interface FileReport {
  file: string;
  format: string | null;
  accepted: number;
  rejected: number;
  /** Records that carry no sample by design (footer and remarks rows, HJ 212 heartbeats and log lines). */
  skipped: number;
  /** Values dropped from kept samples (each listed under `warnings`). */
  warnings: number;
  /** Cells without a value (blank, --, #N/A, 缺测…). */
  missing: number;
  encoding?: string;
  error?: string;
  /** What the file as a whole is worth telling (columns not used…), for the table output. */
  notes?: string[];
}

/** A line of a text file, or `Sheet!row` of a workbook. */
export type LineRef = number | string;

export interface Rejection { file: string; line: LineRef; reason: string }
export interface CellWarning { file: string; line: LineRef; param: string; value: string; reason: string }

export interface EvaluateResult {
  files: FileReport[];
  samples: SampleView[];
  rejected: Rejection[];
  warnings: CellWarning[];
}

/** Where evaluated samples, rejections and dropped values go as they are read; a returned promise is awaited (back-pressure). */
export interface EvaluationSink {
  sample(view: SampleView): Promise<void> | undefined | void;
  rejected(rejection: Rejection): Promise<void> | undefined | void;
  warning(warning: CellWarning): Promise<void> | undefined | void;
}

/** The line as shown: a number for text files, `Sheet!row` for a workbook's rows. */
export const lineRef = (line: number, sheet?: string): LineRef => (sheet === undefined ? line : rowLabel(line, sheet));

/** Reads each file in turn, telling `sink` every sample and rejection; returns each file's report. */
export async function evaluateFilesInto(paths: readonly string[], registry: SiteRegistry, zone: string | undefined, sink: EvaluationSink): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const path of paths) {
    const file = basename(path);
    const report: FileReport = { file, format: null, accepted: 0, rejected: 0, skipped: 0, warnings: 0, missing: 0 };
    reports.push(report);
    try {
      const opened = await openMonitoringFile(createReadStream(path), file, { registry, key: path, ...(zone ? { zone } : {}) });
      report.format = opened.format;
      report.encoding = opened.encoding + (opened.gzip ? ' (gzip)' : '');
      for await (const batch of opened.batches) for (const ev of batch) {
        switch (ev.type) {
          case 'sample': {
            const site = registry.resolve(ev.sample.site);
            report.accepted++;
            const wait = sink.sample(sampleView(ev.sample, evaluateSample(ev.sample, site), zone));
            if (wait) await wait;
            break;
          }
          case 'rejected': {
            report.rejected++;
            const wait = sink.rejected({ file, line: lineRef(ev.line, ev.sheet), reason: ev.reason });
            if (wait) await wait;
            break;
          }
          case 'skipped':
            report.skipped++;
            break;
          case 'cell': {
            report.warnings++;
            const wait = sink.warning({ file, line: lineRef(ev.line, ev.sheet), param: ev.param, value: ev.value, reason: ev.reason });
            if (wait) await wait;
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
      report.error = err instanceof FileRejectedError ? err.reason : describeFileError(err, path);
    }
  }
  return reports;
}

/** Every sample and rejection in memory (the table, tests); `--json` streams instead. */
export async function evaluateFiles(paths: readonly string[], registry: SiteRegistry, zone?: string): Promise<EvaluateResult> {
  const samples: SampleView[] = [];
  const rejected: Rejection[] = [];
  const warnings: CellWarning[] = [];
  const files = await evaluateFilesInto(paths, registry, zone, {
    sample: (s) => { samples.push(s); }, rejected: (r) => { rejected.push(r); }, warning: (w) => { warnings.push(w); },
  });
  return { files, samples, rejected, warnings };
}

/** Reading and evaluating local monitoring files for `bishui evaluate`: each sample and rejection as it comes. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import { type SampleView, sampleView } from '../../shared/domain/sample-view.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { openMonitoringFile } from '../../shared/parsers/read.js';
import { FileRejectedError } from '../../shared/parsers/types.js';
import { describeFileError } from './file-errors.js';

export interface FileReport {
  file: string;
  format: string | null;
  accepted: number;
  rejected: number;
  skipped?: number;
  encoding?: string;
  error?: string;
  warnings?: string[];
}

export interface Rejection { file: string; line: number; reason: string }

export interface EvaluateResult {
  files: FileReport[];
  samples: SampleView[];
  rejected: Rejection[];
}

/** Where evaluated samples and rejections go as they are read; a returned promise is awaited (back-pressure). */
export interface EvaluationSink {
  sample(view: SampleView): Promise<void> | undefined | void;
  rejected(rejection: Rejection): Promise<void> | undefined | void;
}

/** Reads each file in turn, telling `sink` every sample and rejection; returns each file's report. */
export async function evaluateFilesInto(paths: readonly string[], registry: SiteRegistry, zone: string | undefined, sink: EvaluationSink): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const path of paths) {
    const file = basename(path);
    const report: FileReport = { file, format: null, accepted: 0, rejected: 0 };
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
            const wait = sink.rejected({ file, line: ev.line, reason: ev.reason });
            if (wait) await wait;
            break;
          }
          case 'skipped':
            report.skipped = (report.skipped ?? 0) + 1;
            break;
          case 'warning':
            (report.warnings ??= []).push(ev.message);
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
  const files = await evaluateFilesInto(paths, registry, zone, { sample: (s) => { samples.push(s); }, rejected: (r) => { rejected.push(r); } });
  return { files, samples, rejected };
}

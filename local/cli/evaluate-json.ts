/**
 * `evaluate --json`, streamed: the same document `JSON.stringify({ files, samples, rejected, warnings }, null, 2)`
 * printed, at flat memory whatever the input's size (json-document.ts says how and why).
 */
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { type FileReport, evaluateFilesInto } from './evaluate-files.js';
import { SpooledJsonDocument, type WriteChunk } from './json-document.js';

/** A file's entry in the JSON: what a program needs (the notes and the encoding are for people). */
export function publicReport({ notes: _n, encoding: _e, ...f }: FileReport): Omit<FileReport, 'notes' | 'encoding'> {
  return f;
}

/** Evaluates `paths` and writes the document, then a newline; returns each file's report. */
export async function writeEvaluationJson(
  paths: readonly string[], registry: SiteRegistry, zone: string | undefined, write: WriteChunk, options: { flushChars?: number; dir?: string } = {},
): Promise<FileReport[]> {
  const doc = await SpooledJsonDocument.open(['samples', 'rejected', 'warnings'] as const, options);
  try {
    const samples = doc.array('samples');
    const rejected = doc.array('rejected');
    const warnings = doc.array('warnings');
    const reports = await evaluateFilesInto(paths, registry, zone, {
      sample: (s) => samples.push(s), rejected: (r) => rejected.push(r), warning: (w) => warnings.push(w),
    });
    await doc.writeTo(write, { files: reports.map(publicReport) });
    await write('\n');
    return reports;
  } finally {
    await doc.dispose();
  }
}

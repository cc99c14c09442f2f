/**
 * `evaluate --json`, streamed: the same document `JSON.stringify({ files, samples, rejected }, null, 2)`
 * printed, at flat memory whatever the input's size (json-document.ts says how and why).
 */
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { type FileReport, evaluateFilesInto } from './evaluate-files.js';
import { SpooledJsonDocument, type WriteChunk } from './json-document.js';

/** A file's entry in the JSON: what a program needs (the notes, encoding and skipped count are for people). */
export function publicReport({ warnings: _w, encoding: _e, skipped: _s, ...f }: FileReport): Omit<FileReport, 'warnings' | 'encoding' | 'skipped'> {
  return f;
}

/** Evaluates `paths` and writes the document, then a newline; returns each file's report. */
export async function writeEvaluationJson(
  paths: readonly string[], registry: SiteRegistry, zone: string | undefined, write: WriteChunk, options: { flushChars?: number; dir?: string } = {},
): Promise<FileReport[]> {
  const doc = await SpooledJsonDocument.open(['samples', 'rejected'] as const, options);
  try {
    const samples = doc.array('samples');
    const rejected = doc.array('rejected');
    const reports = await evaluateFilesInto(paths, registry, zone, { sample: (s) => samples.push(s), rejected: (r) => rejected.push(r) });
    await doc.writeTo(write, { files: reports.map(publicReport) });
    await write('\n');
    return reports;
  } finally {
    await doc.dispose();
  }
}

/**
 * A file that is not monitoring data: a copy under quarantine/ with a report beside it, a failed
 * ledger entry, and the listener told first. The raw upload is never deleted or changed. A key too
 * long to be put under quarantine/ whole gets a shortened one (layout.ts), and its report names
 * the original. `sites`: those the file stored samples of before its fault (their late-exceedance
 * digests go out all the same).
 */
import { quarantineKeysOf } from '../layout.js';
import { MAX_REASON_CHARS } from '../limits.js';
import type { LedgerEntry, ObjectRef } from '../ports/index.js';
import { boundedText } from './bounded-text.js';
import type { IngestDeps, IngestOutcome, RunBase } from './ingest-object.js';

export async function quarantine(
  ref: ObjectRef, problem: string, run: RunBase & { format?: string | undefined; accepted: number; rejected: number; reasonZh?: string | undefined },
  deps: Pick<IngestDeps, 'objects' | 'ledger' | 'log' | 'now' | 'listener'>, sites: readonly string[] = [],
): Promise<IngestOutcome> {
  const keys = quarantineKeysOf(ref.key);
  const reason = boundedText(problem, MAX_REASON_CHARS);
  const at = new Date(deps.now()).toISOString();
  const report = {
    file: `s3://${ref.bucket}/${ref.key}`, version: run.version, reason, detectedFormat: run.format ?? null, at,
    note: 'The raw upload is kept unchanged at its original key; this is a copy for inspection.'
      + (keys.shortened ? ' Its key is too long to be kept whole under quarantine/, so the copy has a shortened one.' : ''),
  };
  await deps.objects.copy(ref, keys.copy);
  await deps.objects.put(ref.bucket, keys.report, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  const entry: LedgerEntry = {
    fileId: run.fileId, bucket: run.bucket, key: run.key, version: run.version, attempts: run.attempts,
    receivedAt: run.receivedAt, status: 'failed', finishedAt: at,
    error: reason, quarantineKey: keys.copy, accepted: run.accepted, rejected: run.rejected,
    ...(run.format ? { format: run.format } : {}),
    ...(run.sequencer ? { sequencer: run.sequencer } : {}),
    ...(run.reasonZh ? { errorZh: run.reasonZh } : {}),
  };
  if (deps.listener) await deps.listener.fileQuarantined(entry, sites);
  await deps.ledger.complete(entry);
  deps.log.warn('file quarantined', { fileId: run.fileId, reason, quarantineKey: keys.copy });
  return { status: 'failed', entry };
}

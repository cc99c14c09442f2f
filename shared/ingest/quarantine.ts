/**
 * A file that is not monitoring data: a copy under quarantine/ with a report beside it, a failed
 * ledger entry, and the listener told first. The raw upload is never deleted or changed.
 */
import { QUARANTINE_PREFIX } from '../layout.js';
import type { LedgerEntry, ObjectRef } from '../ports/index.js';
import type { IngestDeps, IngestOutcome, RunBase } from './ingest-object.js';

export async function quarantine(
  ref: ObjectRef, reason: string, run: RunBase & { format?: string | undefined; accepted: number; rejected: number; reasonZh?: string | undefined },
  deps: Pick<IngestDeps, 'objects' | 'ledger' | 'log' | 'now' | 'listener'>,
): Promise<IngestOutcome> {
  const quarantineKey = `${QUARANTINE_PREFIX}${ref.key}`;
  const at = new Date(deps.now()).toISOString();
  const report = {
    file: `s3://${ref.bucket}/${ref.key}`, version: run.version, reason, detectedFormat: run.format ?? null, at,
    note: 'The raw upload is kept unchanged at its original key; this is a copy for inspection.',
  };
  await deps.objects.copy(ref, quarantineKey);
  await deps.objects.put(ref.bucket, `${quarantineKey}.error.json`, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  const entry: LedgerEntry = {
    fileId: run.fileId, bucket: run.bucket, key: run.key, version: run.version, attempts: run.attempts,
    receivedAt: run.receivedAt, status: 'failed', finishedAt: at,
    error: reason, quarantineKey, accepted: run.accepted, rejected: run.rejected,
    ...(run.format ? { format: run.format } : {}),
    ...(run.reasonZh ? { errorZh: run.reasonZh } : {}),
  };
  if (deps.listener) await deps.listener.fileQuarantined(entry);
  await deps.ledger.complete(entry);
  deps.log.warn('file quarantined', { fileId: run.fileId, reason, quarantineKey });
  return { status: 'failed', entry };
}

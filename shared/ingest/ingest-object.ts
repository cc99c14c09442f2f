/**
 * One object from the raw bucket into storage, exactly once in effect: the ledger's lease keeps
 * two workers off the same file, deterministic sample keys make a re-run harmless, a finished file
 * is acknowledged and skipped, and a file that is not monitoring data is quarantined with a report.
 * Uses ports only — the Lambda handler and the local runtime supply the adapters. What the file
 * means for alerts and operations is the listener's business: ingest tells it, before the ledger
 * entry that acknowledges the file is written.
 */
import { evaluateSample } from '../domain/evaluate.js';
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import { QUARANTINE_PREFIX, fileIdOf, versionOf } from '../layout.js';
import { type OpenedFile, openMonitoringFile } from '../parsers/read.js';
import { FileRejectedError } from '../parsers/types.js';
import type { FileLedger, IngestListener, LedgerEntry, Log, ObjectRef, ObjectStore, SampleStore } from '../ports/index.js';
import { DayPartCollector } from './day-parts.js';
import { DayPartWriter } from './day-part-writer.js';
import { FileTally } from './file-tally.js';
import { quarantine } from './quarantine.js';
import { SampleWriter } from './sample-writer.js';
import { toStored } from './stored-sample.js';

export interface IngestDeps {
  readonly objects: ObjectStore;
  readonly samples: SampleStore;
  readonly ledger: FileLedger;
  readonly registry: SiteRegistry;
  readonly log: Log;
  readonly now: () => number;
  /** How long a worker may hold a file before another may take it over (≥ the function timeout). */
  readonly leaseMs: number;
  readonly zone?: string;
  /** Told about stored samples and finished or quarantined files (the alert rules, operations notices). */
  readonly listener?: IngestListener;
}

export type IngestOutcome =
  | { readonly status: 'done' | 'failed'; readonly entry: LedgerEntry }
  | { readonly status: 'duplicate'; readonly entry: LedgerEntry }
  | { readonly status: 'ignored'; readonly reason: string };

/** Another worker holds the file's lease: the message should come back later. */
export class FileBusyError extends Error {
  constructor(readonly fileId: string, readonly leaseUntil: number) {
    super(`${fileId} is being processed by another worker (lease until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'FileBusyError';
  }
}

/** zlib's "this is not gzip after all" errors are the file's fault, not a passing fault. */
function isCorruptData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_INVALID_ARG_VALUE';
}

/** The ledger entry's fields known from the start of a run. */
export type RunBase = Pick<LedgerEntry, 'fileId' | 'bucket' | 'key' | 'version' | 'attempts' | 'receivedAt'>;

export async function ingestObject(ref: ObjectRef, deps: IngestDeps): Promise<IngestOutcome> {
  if (ref.key.startsWith(QUARANTINE_PREFIX)) return { status: 'ignored', reason: `bishui wrote this object itself (${QUARANTINE_PREFIX})` };
  const fileId = fileIdOf(ref);
  const version = versionOf(ref);
  const started = deps.now();
  const lease = await deps.ledger.acquire(ref, version, started, deps.leaseMs);
  if (lease.outcome === 'finished') {
    deps.log.info('duplicate event for a finished file: acknowledged, skipped', { fileId, version, status: lease.entry.status });
    return { status: 'duplicate', entry: lease.entry };
  }
  if (lease.outcome === 'busy') throw new FileBusyError(fileId, lease.leaseUntil);

  const base: RunBase = { fileId, bucket: ref.bucket, key: ref.key, version, attempts: lease.attempts, receivedAt: new Date(started).toISOString() };
  const tally = new FileTally();
  let opened: OpenedFile | undefined;
  try {
    const { body } = await deps.objects.get(ref);
    const name = ref.key.split('/').pop() ?? ref.key;
    opened = await openMonitoringFile(body, name, { registry: deps.registry, zone: deps.zone ?? DEFAULT_ZONE, key: ref.key, now: deps.now });
    const days = await storeFile(opened, base, tally, deps);
    return await finish(base, opened, tally, days, deps, started);
  } catch (err) {
    if (!(err instanceof FileRejectedError) && !isCorruptData(err)) throw err;
    const reason = err instanceof FileRejectedError ? err.reason : `cannot be decompressed: ${(err as Error).message}`;
    const reasonZh = err instanceof FileRejectedError ? err.reasonZh : '文件无法解压（可能已损坏或未完整上传）';
    return quarantine(ref, reason, { ...base, format: opened?.format, accepted: tally.accepted, rejected: tally.rejected, reasonZh }, deps);
  }
}

/** Streams the file's samples and day parts into storage; returns the site-days it touched. */
async function storeFile(opened: OpenedFile, base: RunBase, tally: FileTally, deps: IngestDeps) {
  const parts = new DayPartCollector(base.fileId, deps.zone ?? DEFAULT_ZONE);
  const partWriter = new DayPartWriter(deps.samples, base.fileId);
  const writer = new SampleWriter(deps.samples, deps.listener);
  for await (const batch of opened.batches) {
    for (const ev of batch) {
      if (ev.type !== 'sample') { tally.note(ev); continue; }
      const evaluation = evaluateSample(ev.sample, deps.registry.resolve(ev.sample.site));
      writer.add(toStored(ev.sample, evaluation, base.fileId, base.version), { sample: ev.sample, evaluation });
      parts.add(ev.sample);
      tally.sample(ev.sample.site);
    }
    await writer.maybeFlush();
    await partWriter.write(parts.takeOverflow()); // memory stays flat however many days the file spans
  }
  await writer.drain();
  await partWriter.write(parts.takeAll());
  return parts.days();
}

async function finish(
  base: RunBase, opened: OpenedFile, tally: FileTally, days: ReturnType<DayPartCollector['days']>, deps: IngestDeps, started: number,
): Promise<IngestOutcome> {
  const entry: LedgerEntry = {
    ...base, status: 'done', finishedAt: new Date(deps.now()).toISOString(),
    format: opened.format, encoding: opened.encoding + (opened.gzip ? '+gzip' : ''),
    accepted: tally.accepted, rejected: tally.rejected, skipped: tally.skipped,
    rejectedRows: tally.rejectedRows, warnings: tally.warnings, sites: [...tally.sites],
  };
  if (deps.listener) await deps.listener.fileDone(entry, days);
  await deps.ledger.complete(entry);
  deps.log.info('file ingested', { fileId: base.fileId, version: base.version, format: entry.format, accepted: tally.accepted, rejected: tally.rejected, skipped: tally.skipped, ms: deps.now() - started });
  return { status: 'done', entry };
}

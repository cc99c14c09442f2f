/**
 * One object from the raw bucket into storage, exactly once in effect: the ledger's lease keeps
 * two workers off the same file, deterministic sample keys make a re-run harmless, a finished file
 * is acknowledged and skipped, versions of one key are stored in S3's order (version-order.ts), and
 * a file that is not monitoring data — or that the reader cannot get through — is quarantined with
 * a report. Nothing in a file sends its message to the dead-letter queue: only passing faults
 * (storage, the S3 body) are thrown, and their error is recorded on the ledger entry first.
 * Uses ports only — the Lambda handler and the local runtime supply the adapters. What the file
 * means for alerts and operations is the listener's business: ingest tells it, before the ledger
 * entry that acknowledges the file is written.
 */
import { evaluateSample } from '../domain/evaluate.js';
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import { QUARANTINE_PREFIX, fileIdOf, paddedSequencer, versionOf } from '../layout.js';
import { MAX_REASON_CHARS } from '../limits.js';
import { type OpenedFile, openMonitoringFile } from '../parsers/read.js';
import type { ParseEvent } from '../parsers/types.js';
import type { FileLedger, IngestListener, LedgerEntry, Log, ObjectRef, ObjectStore, SampleStore } from '../ports/index.js';
import { boundedText } from './bounded-text.js';
import { DayPartCollector } from './day-parts.js';
import { DayPartWriter } from './day-part-writer.js';
import { FileTally } from './file-tally.js';
import { quarantine } from './quarantine.js';
import { ReaderFault, fileProblemOf, fromReader, watchedSource } from './reader-faults.js';
import { SampleWriter } from './sample-writer.js';
import { toStored } from './stored-sample.js';
import { KeyHold, SupersededError } from './version-order.js';

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
  /** How long a newer version of a key waits for an older one still writing it to stop (version-order.ts). */
  readonly keyWaitMs?: number;
}

export type IngestOutcome =
  | { readonly status: 'done' | 'failed' | 'superseded'; readonly entry: LedgerEntry }
  | { readonly status: 'duplicate'; readonly entry: LedgerEntry }
  | { readonly status: 'ignored'; readonly reason: string };

/** Another worker holds the file's lease: the message should come back later. */
export class FileBusyError extends Error {
  constructor(readonly fileId: string, readonly leaseUntil: number) {
    super(`${fileId} is being processed by another worker (lease until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'FileBusyError';
  }
}

/** The ledger entry's fields known from the start of a run. */
export type RunBase = Pick<LedgerEntry, 'fileId' | 'bucket' | 'key' | 'version' | 'attempts' | 'receivedAt' | 'sequencer'>;

export async function ingestObject(event: ObjectRef, deps: IngestDeps): Promise<IngestOutcome> {
  if (event.key.startsWith(QUARANTINE_PREFIX)) return { status: 'ignored', reason: `bishui wrote this object itself (${QUARANTINE_PREFIX})` };
  const sequencer = paddedSequencer(event.sequencer);
  const { sequencer: _raw, ...rest } = event;
  const ref: ObjectRef = { ...rest, ...(sequencer ? { sequencer } : {}) };
  const fileId = fileIdOf(ref);
  const version = versionOf(ref);
  const started = deps.now();
  const lease = await deps.ledger.acquire(ref, version, started, deps.leaseMs);
  if (lease.outcome === 'finished') {
    deps.log.info('duplicate event for a finished file: acknowledged, skipped', { fileId, version, status: lease.entry.status });
    return { status: 'duplicate', entry: lease.entry };
  }
  if (lease.outcome === 'busy') throw new FileBusyError(fileId, lease.leaseUntil);

  const base: RunBase = {
    fileId, bucket: ref.bucket, key: ref.key, version, attempts: lease.attempts, receivedAt: new Date(started).toISOString(),
    ...(sequencer ? { sequencer } : {}),
  };
  let hold: KeyHold | undefined;
  try {
    if (sequencer) {
      const claim = await KeyHold.claim(ref, version, sequencer, { ...deps, ...(deps.keyWaitMs !== undefined ? { waitMs: deps.keyWaitMs } : {}) });
      if (!(claim instanceof KeyHold)) return await supersede(base, claim.supersededBy, deps);
      hold = claim;
    }
    return await run(ref, base, deps, started, hold);
  } catch (err) {
    await recordFailure(ref, version, err, deps);
    throw err;
  } finally {
    if (hold) await hold.release().catch((err: Error) => deps.log.warn('could not release the key', { fileId, error: err.message }));
  }
}

/** Reads and stores the file; a file problem quarantines it, a newer version stops it. */
async function run(ref: ObjectRef, base: RunBase, deps: IngestDeps, started: number, hold: KeyHold | undefined): Promise<IngestOutcome> {
  const tally = new FileTally();
  const beforeWrite = hold ? () => hold.check() : async () => {};
  let opened: OpenedFile | undefined;
  try {
    const source = watchedSource((await deps.objects.get(ref)).body);
    const name = ref.key.split('/').pop() ?? ref.key;
    opened = await fromReader(source, () => openMonitoringFile(source.body, name, {
      registry: deps.registry, zone: deps.zone ?? DEFAULT_ZONE, key: ref.key, now: deps.now,
    }));
    const file = opened;
    const days = await storeFile(file, base, tally, deps, (call) => fromReader(source, call), beforeWrite);
    await beforeWrite();
    return await finish(base, file, tally, days, deps, started);
  } catch (err) {
    if (err instanceof SupersededError) return supersede(base, err.by, deps, tally);
    const problem = fileProblemOf(err);
    if (problem === undefined) throw err;
    if (err instanceof ReaderFault && err.unexpected) deps.log.error('the reader threw on a file: quarantined', { fileId: base.fileId, error: problem.reason });
    return quarantine(ref, problem.reason, { ...base, format: opened?.format, accepted: tally.accepted, rejected: tally.rejected, reasonZh: problem.reasonZh }, deps);
  }
}

/** Streams the file's samples and day parts into storage; returns the site-days it touched. */
async function storeFile(
  opened: OpenedFile, base: RunBase, tally: FileTally, deps: IngestDeps,
  reader: <T>(call: () => Promise<T>) => Promise<T>, beforeWrite: () => Promise<void>,
) {
  const parts = new DayPartCollector(base.fileId, deps.zone ?? DEFAULT_ZONE);
  const partWriter = new DayPartWriter(deps.samples, base.fileId, beforeWrite);
  const writer = new SampleWriter(deps.samples, deps.listener, beforeWrite);
  const batches = opened.batches[Symbol.asyncIterator]();
  for (;;) {
    const next: IteratorResult<ParseEvent[]> = await reader(() => batches.next());
    if (next.done) break;
    for (const ev of next.value) {
      if (ev.type !== 'sample') { tally.note(ev); continue; }
      const evaluation = evaluateSample(ev.sample, deps.registry.resolve(ev.sample.site));
      const stored = toStored(ev.sample, evaluation, base.fileId, base.version);
      const refusal = deps.samples.refusalOf(stored);
      if (refusal !== undefined) { tally.reject(ev.sample.source.line, refusal); continue; }
      writer.add(stored, { sample: ev.sample, evaluation });
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
    ...tally.fields(),
  };
  if (deps.listener) await deps.listener.fileDone(entry, days);
  await deps.ledger.complete(entry);
  deps.log.info('file ingested', { fileId: base.fileId, version: base.version, format: entry.format, accepted: tally.accepted, rejected: tally.rejected, skipped: tally.skipped, ms: deps.now() - started });
  return { status: 'done', entry };
}

/** An older version than one already claimed: marked superseded, nothing (more) stored. */
async function supersede(base: RunBase, by: string, deps: IngestDeps, tally?: FileTally): Promise<IngestOutcome> {
  const entry: LedgerEntry = {
    ...base, status: 'superseded', finishedAt: new Date(deps.now()).toISOString(), supersededBy: by,
    ...(tally ? { accepted: tally.accepted, rejected: tally.rejected } : {}),
  };
  await deps.ledger.complete(entry);
  deps.log.info('older version of a key: superseded, not stored', { fileId: base.fileId, version: base.version, supersededBy: by });
  return { status: 'superseded', entry };
}

/** Puts a passing fault's error on the ledger entry (for the dead-letter notice) and ends the lease. */
async function recordFailure(ref: ObjectRef, version: string, err: unknown, deps: IngestDeps): Promise<void> {
  const e = err as Error;
  const text = boundedText(e?.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : String(e?.message ?? err), MAX_REASON_CHARS);
  try {
    await deps.ledger.recordFailure(ref, version, text, deps.now());
  } catch (recordErr) {
    deps.log.warn('could not record the failure on the ledger entry', { fileId: fileIdOf(ref), error: (recordErr as Error).message });
  }
}

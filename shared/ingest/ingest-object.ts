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
 *
 * A file of any size: when the invocation nears its end, the pass stops where everything before is
 * stored (file-pass.ts), records a checkpoint in the file's ledger entry and sends the rest to a
 * fresh invocation through the ingest queue (a continuation message carrying the ledger's handoff
 * token), which reads the object again, skips what was handled and goes on — until the file is
 * done, and with the same samples, day parts, alerts and ledger entry as if it had been read in one
 * go. The lease passes from one invocation to the next with the token; an invocation that dies
 * leaves its message to be retried, and the retry resumes from the last checkpoint.
 */
import { DEFAULT_ZONE } from '../domain/time.js';
import type { SiteRegistry } from '../domain/sites.js';
import { QUARANTINE_PREFIX, fileIdOf, paddedSequencer, versionOf } from '../layout.js';
import { MAX_REASON_CHARS } from '../limits.js';
import { type OpenedFile, openMonitoringFile } from '../parsers/read.js';
import type { FileLedger, IngestCheckpoint, IngestListener, IngestQueue, LedgerEntry, Log, ObjectRef, ObjectStore, SampleStore } from '../ports/index.js';
import { boundedText } from './bounded-text.js';
import { continuationBody } from './continuation-message.js';
import { FilePass, sitesOf } from './file-pass.js';
import { quarantine } from './quarantine.js';
import { ReaderFault, fileProblemOf, fromReader, watchedSource } from './reader-faults.js';
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
  /**
   * The ingest queue: a file an invocation has no time to finish goes on in a fresh one through it.
   * Without it a file is read in one invocation, however long that takes.
   */
  readonly queue?: IngestQueue;
  /**
   * Time kept back at the end of an invocation for handing a file on (the last chunk's write, the
   * open day parts, the checkpoint, the message) or finishing it (the file's alerts and notices).
   */
  readonly handoffReserveMs?: number;
}

/** The invocation a file is read in. */
export interface Invocation {
  /** Time left in it, in ms (the Lambda context's getRemainingTimeInMillis(); locally a budget per invocation). */
  remainingMs(): number;
  /** A continuation message's handoff token: the lease of the invocation that handed the file on passes to this one. */
  readonly handoff?: string;
}

/** Time kept back when the deployment sets none. */
export const DEFAULT_HANDOFF_RESERVE_MS = 60_000;

export type IngestOutcome =
  | { readonly status: 'done' | 'failed' | 'superseded'; readonly entry: LedgerEntry }
  | { readonly status: 'duplicate'; readonly entry: LedgerEntry }
  /**
   * A file being read over several invocations is held by one of them (or reserved for the next):
   * this message is to come back once the lease runs out (`leaseUntil`) — the invocations' own
   * messages carry the file on, but this one may be one of them (its invocation died).
   */
  | { readonly status: 'busy'; readonly fileId: string; readonly version: string; readonly leaseUntil: number }
  /** Handed on to a fresh invocation after `events` parse events (the file's `continuations`-th checkpoint). */
  | { readonly status: 'continued'; readonly fileId: string; readonly version: string; readonly events: number; readonly continuations: number }
  | { readonly status: 'ignored'; readonly reason: string };

/** Another worker holds the file's lease: the message should come back later. */
export class FileBusyError extends Error {
  constructor(readonly fileId: string, readonly leaseUntil: number) {
    super(`${fileId} is being processed by another worker (lease until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'FileBusyError';
  }
}

/** The file's lease passed to another worker while this one ran: it stops, storing nothing more. */
export class LeaseLostError extends Error {
  constructor(readonly fileId: string) {
    super(`${fileId}: another worker took the file's lease; this one stops`);
    this.name = 'LeaseLostError';
  }
}

/** The ledger entry's fields known from the start of a run. */
export type RunBase = Pick<LedgerEntry, 'fileId' | 'bucket' | 'key' | 'version' | 'attempts' | 'receivedAt' | 'sequencer'>;

/** What one invocation's run of a file knows besides the entry: its lease, where it resumes, its clock. */
interface RunContext {
  readonly started: number;
  readonly holder: string;
  readonly resume?: IngestCheckpoint;
  /** When the file's first invocation started: the parse judges future times by it in every invocation. */
  readonly startedAt: number;
  readonly timeUp: () => boolean;
}

export async function ingestObject(event: ObjectRef, deps: IngestDeps, invocation?: Invocation): Promise<IngestOutcome> {
  if (event.key.startsWith(QUARANTINE_PREFIX)) return { status: 'ignored', reason: `bishui wrote this object itself (${QUARANTINE_PREFIX})` };
  const sequencer = paddedSequencer(event.sequencer);
  const { sequencer: _raw, ...rest } = event;
  const ref: ObjectRef = { ...rest, ...(sequencer ? { sequencer } : {}) };
  const fileId = fileIdOf(ref);
  const version = versionOf(ref);
  const started = deps.now();
  const lease = await deps.ledger.acquire(ref, version, started, deps.leaseMs, invocation?.handoff);
  if (lease.outcome === 'finished') {
    deps.log.info('duplicate event for a finished file: acknowledged, skipped', { fileId, version, status: lease.entry.status });
    return { status: 'duplicate', entry: lease.entry };
  }
  if (lease.outcome === 'busy') {
    // A file read over several invocations may take longer than a message's receives last: the
    // message is put back until the lease runs out (ingest-handler.ts), never counted towards the
    // dead-letter queue, and never dropped — it may be the one that carries the file on.
    if (lease.continuing && deps.queue) return { status: 'busy', fileId, version, leaseUntil: lease.leaseUntil };
    throw new FileBusyError(fileId, lease.leaseUntil);
  }

  const resume = lease.checkpoint;
  if (lease.unreadableCheckpoint) deps.log.warn('the file\'s checkpoint cannot be resumed from: read again from its start', { fileId, version, problem: lease.unreadableCheckpoint });
  const startedAt = resume?.startedAt ?? started;
  const base: RunBase = {
    fileId, bucket: ref.bucket, key: ref.key, version, attempts: lease.attempts, receivedAt: new Date(startedAt).toISOString(),
    ...(sequencer ? { sequencer } : {}),
  };
  const reserve = deps.handoffReserveMs ?? DEFAULT_HANDOFF_RESERVE_MS;
  const ctx: RunContext = {
    started, holder: lease.holder, startedAt, ...(resume ? { resume } : {}),
    timeUp: () => deps.queue !== undefined && invocation !== undefined && invocation.remainingMs() <= reserve,
  };
  let hold: KeyHold | undefined;
  try {
    if (sequencer) {
      const claim = await KeyHold.claim(ref, version, sequencer, { ...deps, ...(deps.keyWaitMs !== undefined ? { waitMs: deps.keyWaitMs } : {}) });
      if (!(claim instanceof KeyHold)) return await supersede(base, claim.supersededBy, deps, resume?.tally);
      hold = claim;
    }
    return await run(ref, base, deps, ctx, hold);
  } catch (err) {
    await recordFailure(ref, version, lease.holder, err, deps);
    throw err;
  } finally {
    if (hold) await hold.release().catch((err: Error) => deps.log.warn('could not release the key', { fileId, error: err.message }));
  }
}

/** Reads and stores the file (or its next part); a file problem quarantines it, a newer version stops it. */
async function run(ref: ObjectRef, base: RunBase, deps: IngestDeps, ctx: RunContext, hold: KeyHold | undefined): Promise<IngestOutcome> {
  const beforeWrite = hold ? () => hold.check() : async () => {};
  const pass = new FilePass(base.fileId, base.version, { ...deps, zone: deps.zone ?? DEFAULT_ZONE }, beforeWrite, ctx.resume);
  let opened: OpenedFile | undefined;
  try {
    const object = await deps.objects.get(ref);
    // An unversioned key written again since the file began: what is there now is another file, whose own event follows.
    if (ctx.resume && !ref.versionId && ref.etag && object.etag && object.etag !== ref.etag) {
      await object.body[Symbol.asyncIterator]().return?.(undefined);
      return await supersede(base, object.etag, deps, pass.tally);
    }
    const source = watchedSource(object.body);
    const name = ref.key.split('/').pop() ?? ref.key;
    opened = await fromReader(source, () => openMonitoringFile(source.body, name, {
      registry: deps.registry, zone: deps.zone ?? DEFAULT_ZONE, key: ref.key, now: () => ctx.startedAt,
    }));
    const file = opened;
    const end = await pass.run(file, (call) => fromReader(source, call), ctx.timeUp);
    if (end.end === 'time') return await handOn(ref, base, pass, end.events, ctx, deps);
    await beforeWrite();
    return await finish(base, file, pass, deps, ctx);
  } catch (err) {
    if (err instanceof SupersededError) return supersede(base, err.by, deps, pass.tally);
    const problem = fileProblemOf(err);
    if (problem === undefined) throw err;
    if (err instanceof ReaderFault && err.unexpected) deps.log.error('the reader threw on a file: quarantined', { fileId: base.fileId, error: problem.reason });
    try {
      await pass.keepWhatWasRead();
    } catch (keepErr) {
      if (keepErr instanceof SupersededError) return supersede(base, keepErr.by, deps, pass.tally);
      throw keepErr;
    }
    const { tally } = pass;
    const sites = sitesOf(await pass.days());
    return quarantine(ref, problem.reason, { ...base, format: opened?.format, accepted: tally.accepted, rejected: tally.rejected, reasonZh: problem.reasonZh }, deps, sites);
  }
}

/** Records where the pass stopped and sends the rest to a fresh invocation. */
async function handOn(ref: ObjectRef, base: RunBase, pass: FilePass, events: number, ctx: RunContext, deps: IngestDeps): Promise<IngestOutcome> {
  const checkpoint = await pass.checkpoint(events, ctx.startedAt);
  const handoff = await deps.ledger.checkpoint(ref, base.version, ctx.holder, checkpoint, deps.now() + deps.leaseMs);
  if (handoff === undefined) throw new LeaseLostError(base.fileId);
  await (deps.queue as IngestQueue).send(continuationBody({ ref, handoff }));
  deps.log.info('invocation nearly out of time: the rest of the file goes on in a fresh one', {
    fileId: base.fileId, version: base.version, events, continuations: checkpoint.continuations, ms: deps.now() - ctx.started,
  });
  return { status: 'continued', fileId: base.fileId, version: base.version, events, continuations: checkpoint.continuations };
}

async function finish(base: RunBase, opened: OpenedFile, pass: FilePass, deps: IngestDeps, ctx: RunContext): Promise<IngestOutcome> {
  const { tally } = pass;
  const entry: LedgerEntry = {
    ...base, status: 'done', finishedAt: new Date(deps.now()).toISOString(),
    format: opened.format, encoding: opened.encoding + (opened.gzip ? '+gzip' : ''),
    ...tally.fields(),
    ...(ctx.resume ? { continuations: ctx.resume.continuations } : {}),
  };
  if (deps.listener) await deps.listener.fileDone(entry, await pass.days());
  await deps.ledger.complete(entry);
  deps.log.info('file ingested', {
    fileId: base.fileId, version: base.version, format: entry.format, accepted: tally.accepted, rejected: tally.rejected, skipped: tally.skipped,
    ms: deps.now() - ctx.started, ...(ctx.resume ? { continuations: ctx.resume.continuations } : {}),
  });
  return { status: 'done', entry };
}

/** An older version than one already claimed: marked superseded, nothing (more) stored; `tally`: what it had read by then. */
async function supersede(base: RunBase, by: string, deps: IngestDeps, tally?: { readonly accepted: number; readonly rejected: number }): Promise<IngestOutcome> {
  const entry: LedgerEntry = {
    ...base, status: 'superseded', finishedAt: new Date(deps.now()).toISOString(), supersededBy: by,
    ...(tally ? { accepted: tally.accepted, rejected: tally.rejected } : {}),
  };
  await deps.ledger.complete(entry);
  deps.log.info('older version of a key: superseded, not stored', { fileId: base.fileId, version: base.version, supersededBy: by });
  return { status: 'superseded', entry };
}

/** Puts a passing fault's error on the ledger entry (for the dead-letter notice) and ends the lease. */
async function recordFailure(ref: ObjectRef, version: string, holder: string, err: unknown, deps: IngestDeps): Promise<void> {
  const e = err as Error;
  const text = boundedText(e?.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : String(e?.message ?? err), MAX_REASON_CHARS);
  try {
    await deps.ledger.recordFailure(ref, version, holder, text, deps.now());
  } catch (recordErr) {
    deps.log.warn('could not record the failure on the ledger entry', { fileId: fileIdOf(ref), error: (recordErr as Error).message });
  }
}

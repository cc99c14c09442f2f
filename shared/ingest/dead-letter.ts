/**
 * A message that failed every delivery reached the dead-letter queue. Each file it names ends
 * `failed` in the ledger — with the last error its runs recorded there — and operations is told.
 * The ledger is marked first and the notice sent before the dead letter is acknowledged; a retry
 * finds its own mark and announces again, so every dead-lettered file is announced at least once.
 * A file that finished after all (another delivery of the same version) is left as it is.
 */
import { versionOf } from '../layout.js';
import { MAX_REASON_CHARS } from '../limits.js';
import type { DeadLetterOutcome, FileLedger, Log, ObjectRef } from '../ports/index.js';
import { boundedText } from './bounded-text.js';

/** What operations is told about a dead-lettered file or message. */
export interface DeadLetterProblem {
  readonly bucket: string;
  readonly key: string;
  readonly reason: string;
  /** The file version and when it was dead-lettered: a retry of the same dead letter names the same ones. */
  readonly version?: string;
  readonly at?: string;
}

export interface DeadLetterDeps {
  readonly ledger: FileLedger;
  readonly log: Log;
  readonly now: () => number;
  /** Tells operations; the composition root decides through what. */
  readonly announce: (problem: DeadLetterProblem) => Promise<void>;
}

/** The error a dead-lettered file is reported with when no run recorded one (it never got that far, or died). */
export const NO_ERROR_RECORDED = 'failed on every delivery and no error was recorded: the function may have timed out '
  + 'or run out of memory, or the ledger was unreachable (see the ingest function\'s logs)';

export async function recordDeadLetter(ref: ObjectRef, deps: DeadLetterDeps): Promise<DeadLetterOutcome> {
  const version = versionOf(ref);
  const outcome = await deps.ledger.deadLetter(ref, version, NO_ERROR_RECORDED, deps.now());
  if (outcome.outcome === 'finished') {
    deps.log.info('dead letter for a file that finished after all: left as it is', { fileId: outcome.entry.fileId, version, status: outcome.entry.status });
    return outcome;
  }
  const reason = outcome.entry.error ?? NO_ERROR_RECORDED;
  deps.log.error('file dead-lettered: marked failed, operations told', { fileId: outcome.entry.fileId, version, error: reason });
  await deps.announce({ bucket: ref.bucket, key: ref.key, reason, version, ...(outcome.entry.deadLetteredAt ? { at: outcome.entry.deadLetteredAt } : {}) });
  return outcome;
}

/** A dead letter that is not an S3 event at all: nothing to mark, but operations hears of it. */
export async function recordUnreadableDeadLetter(body: string, why: string, deps: DeadLetterDeps): Promise<void> {
  const reason = boundedText(`${why} — message body: ${body}`, MAX_REASON_CHARS);
  deps.log.error('unreadable message dead-lettered', { reason });
  await deps.announce({ bucket: '(unknown)', key: '(unreadable message)', reason });
}

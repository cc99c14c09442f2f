/**
 * Versions of one key in the order S3 stored them, not the order their events arrive: each S3 event
 * carries a sequencer (hex; compared after padding, and only among events of the same key — AWS's
 * documented way to order them). A version claims its key before it stores anything:
 * - an older version than one already claimed is superseded: it stores nothing, whatever became of
 *   the newer one (what the sender uploaded last is what it meant);
 * - a newer version marks itself newest at once, then waits for an older one still writing the key
 *   to notice and stop — the writer checks before each write — so no older write lands after a
 *   newer one's. Keys are never written by two versions at once.
 * Events without a sequencer (none from S3 itself) are not ordered.
 */
import type { FileLedger, ObjectRef } from '../ports/index.js';

/** A newer version of the key was claimed while this one ran: it stops before its next write. */
export class SupersededError extends Error {
  constructor(readonly by: string) {
    super(`a newer version of the key (${by}) was uploaded; this one is not stored`);
    this.name = 'SupersededError';
  }
}

/** An older version of the key is still writing and did not stop in time: try again later. */
export class KeyBusyError extends Error {
  constructor(readonly fileId: string, readonly holder: string) {
    super(`${fileId}: an older version (${holder}) is still being written; this newer version will be retried`);
    this.name = 'KeyBusyError';
  }
}

export interface KeyOrderDeps {
  readonly ledger: FileLedger;
  readonly now: () => number;
  readonly leaseMs: number;
  /** How long a newer version waits for an older one to stop (it stops at its next write: seconds). */
  readonly waitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_WAIT_MS = 30_000;
const POLL_MS = 250;
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** This version's hold on its key: checked before each write, released at the end of the run. */
export class KeyHold {
  private constructor(
    private readonly ledger: FileLedger, private readonly ref: ObjectRef,
    private readonly version: string, private readonly sequencer: string,
  ) {}

  /**
   * Claims the key for `version`: a hold, or the newer version that supersedes it. Throws
   * KeyBusyError when an older version keeps writing past the wait.
   */
  static async claim(ref: ObjectRef, version: string, sequencer: string, deps: KeyOrderDeps): Promise<KeyHold | { readonly supersededBy: string }> {
    const sleep = deps.sleep ?? defaultSleep;
    const until = deps.now() + (deps.waitMs ?? DEFAULT_WAIT_MS);
    for (;;) {
      const claim = await deps.ledger.claimKey(ref, version, sequencer, deps.now(), deps.leaseMs);
      if (claim.outcome === 'claimed') return new KeyHold(deps.ledger, ref, version, sequencer);
      if (claim.outcome === 'superseded') return { supersededBy: claim.by };
      if (deps.now() >= until) throw new KeyBusyError(`${ref.bucket}/${ref.key}`, claim.holder);
      await sleep(POLL_MS);
    }
  }

  /** Throws SupersededError once a newer version has claimed the key. */
  async check(): Promise<void> {
    const newest = await this.ledger.newestVersion(this.ref);
    if (newest && newest.sequencer !== this.sequencer) throw new SupersededError(newest.version);
  }

  release(): Promise<void> {
    return this.ledger.releaseKey(this.ref, this.version);
  }
}

/**
 * The small interfaces the ingest and alert logic use to reach storage and the outside world —
 * interfaces and the data shapes they carry, nothing else. Adapters (S3, DynamoDB, SNS, a file
 * outbox) implement them; tests and the local runtime swap them.
 */
import type { DayPart, SiteDay } from '../domain/day-means.js';
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import type { MonthMeans, PeriodMeans } from '../domain/period-means.js';
import type { Sample } from '../domain/sample.js';
import type { ObjectRef } from '../layout.js';

export type { ObjectRef } from '../layout.js';
export type { DayPart, SiteDay } from '../domain/day-means.js';
export type { MonthMeans, PeriodMeans } from '../domain/period-means.js';

export interface ObjectBody {
  readonly body: AsyncIterable<Uint8Array>;
  readonly etag?: string;
  readonly versionId?: string;
}

export interface ObjectStore {
  get(ref: ObjectRef): Promise<ObjectBody>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  copy(from: ObjectRef, toKey: string): Promise<void>;
}

/**
 * Where the monthly supervision documents are kept, by key (`reports/YYYY-MM/…`, shared/layout.ts):
 * the raw bucket in AWS, the data dir locally.
 */
export interface ReportStore {
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Every key under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Where a person finds a key: `s3://bucket/key`, or a path on disk. */
  locate(key: string): string;
}

/** A sample as stored: the sample, where it came from, and the evaluation summary used for queries. */
export interface StoredSample {
  readonly sample: Sample;
  /** `bucket/key` of the file the stored version came from. */
  readonly fileId: string;
  readonly fileVersion: string;
  readonly grade: Grade | null;
  readonly cwqi: number | null;
  readonly compliant: boolean | null;
}

export interface SampleStore {
  /**
   * Why the store would refuse this sample (a key or the item beyond the database's limits — a site
   * name of kilobytes, a row of thousands of unknown columns), or undefined: checked before a
   * sample is written, so it becomes a rejected row rather than a failed write.
   */
  refusalOf(sample: StoredSample): string | undefined;
  /** Writes samples; one item per sample under a deterministic key, so writing twice is harmless. */
  putSamples(samples: readonly StoredSample[]): Promise<void>;
  putDayParts(parts: readonly DayPart[]): Promise<void>;
  /**
   * Removes a file's day parts (every version's): a re-run or a new version starts its means afresh.
   * With `fromSegment`, only the parts of that segment and later: what an invocation that died after
   * the file's last checkpoint had stored.
   */
  clearDayParts(fileId: string, fromSegment?: number): Promise<void>;
  /** The site-days a file's stored day parts cover, sorted by site and day. */
  fileDays(fileId: string): Promise<SiteDay[]>;
  /** A site's samples with from ≤ time ≤ to (epoch ms), oldest first. */
  querySite(site: string, from?: number, to?: number): AsyncIterable<StoredSample>;
  latest(site: string): Promise<StoredSample | undefined>;
  fileSamples(fileId: string): AsyncIterable<StoredSample>;
  /** Daily means between two local days (inclusive), from the day parts. */
  dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]>;
  /** Monthly means (the mean of daily means), YYYY-MM to YYYY-MM inclusive. */
  monthlyMeans(site: string, fromMonth: string, toMonth: string): Promise<MonthMeans[]>;
  /** Sites with stored day parts in a month (registered or not), in id order. */
  sitesReporting(month: string): Promise<string[]>;
}

/**
 * `failed`: quarantined (quarantineKey) or dead-lettered (deadLetteredAt); `superseded`: an older
 * version of a key whose newer version was already taken (S3 event sequencers), never stored.
 */
export type LedgerStatus = 'processing' | 'done' | 'failed' | 'superseded';

export interface RejectedRow {
  readonly line: number;
  /** The workbook sheet (Excel); the row is then shown as `Sheet!row`. */
  readonly sheet?: string;
  readonly reason: string;
}

export interface LedgerEntry {
  readonly fileId: string;
  readonly bucket: string;
  readonly key: string;
  readonly version: string;
  readonly status: LedgerStatus;
  readonly attempts: number;
  readonly receivedAt: string;
  readonly finishedAt?: string;
  readonly leaseUntil?: number;
  readonly format?: string;
  readonly encoding?: string;
  readonly accepted?: number;
  readonly rejected?: number;
  readonly skipped?: number;
  /** Values dropped from kept samples (not a number, implausible…); the first ones are among `warnings`. */
  readonly warned?: number;
  /** Cells without a value (blank, --, #N/A, 缺测…). */
  readonly missing?: number;
  /** The first rejected rows or packets (LEDGER_REJECTED_ROWS_KEPT), reasons cut to MAX_REASON_CHARS. */
  readonly rejectedRows?: readonly RejectedRow[];
  readonly warnings?: readonly string[];
  /** Warnings in the file, kept or not. */
  readonly warningCount?: number;
  /** Unregistered site names the file used that are close to a registered site (LEDGER_NEAR_MISSES_KEPT): add them to its aliases? */
  readonly nearMisses?: readonly { readonly name: string; readonly site: string }[];
  /** The first sites the file named (LEDGER_SITES_KEPT). */
  readonly sites?: readonly string[];
  /** What was left out of this entry to keep it within its bounds, in words; absent when nothing was. */
  readonly truncated?: string;
  /** Why the file failed: the quarantine reason, or the last error of a dead-lettered file. */
  readonly error?: string;
  /** The error in Chinese, for the operations notice (the file's FileRejectedError `reasonZh`). */
  readonly errorZh?: string;
  readonly quarantineKey?: string;
  /** The S3 event's sequencer of this version (padded: SEQUENCER_DIGITS), when the event had one. */
  readonly sequencer?: string;
  /** The newer version of the key that superseded this one. */
  readonly supersededBy?: string;
  /** The error of the last delivery that failed (a passing fault, retried); kept for the dead-letter notice. */
  readonly lastError?: string;
  /** When the file's message reached the dead-letter queue (status failed). */
  readonly deadLetteredAt?: string;
  /** Where a file read over several invocations stopped last (status processing; gone once it is finished). */
  readonly checkpoint?: IngestCheckpoint;
  /** How many times the file was handed to a fresh invocation before it was finished (absent: read in one). */
  readonly continuations?: number;
}

/** A file's tally between invocations: what its ledger entry will say about rows (shared/ingest/file-tally.ts). */
export interface TallyState {
  readonly accepted: number;
  readonly rejected: number;
  readonly skipped: number;
  readonly warned: number;
  readonly missing: number;
  readonly warningCount: number;
  readonly rejectedRows: readonly RejectedRow[];
  readonly warnings: readonly string[];
  readonly sites: readonly string[];
  /** The file named more sites than the entry keeps. */
  readonly moreSites: boolean;
  readonly nearMisses: readonly { readonly name: string; readonly site: string }[];
}

/**
 * Where a file read over several invocations stopped, and what the next one needs to go on as if
 * the file were read in one go (shared/ingest/checkpoint.ts). The next invocation reads the object
 * from its start again and skips the parse events already handled.
 */
export interface IngestCheckpoint {
  /** Parse events handled (every kind: samples, rejected rows, warnings…): the next invocation skips this many. */
  readonly events: number;
  /** Checkpoints of the file so far, this one included. */
  readonly continuations: number;
  /** When the file's first invocation started (epoch ms): the clock its times are judged by, and its receivedAt. */
  readonly startedAt: number;
  /** The next day-part segment. Parts of this segment and later were not committed (an invocation died after this checkpoint) and go. */
  readonly segment: number;
  /** The file has stored day parts of its own (so the key's earlier parts have been cleared). */
  readonly partsCleared: boolean;
  readonly tally: TallyState;
}

export type LeaseOutcome =
  /**
   * `holder` names this lease (checkpoints and failures are recorded under it); `checkpoint`: where
   * an earlier invocation stopped; `unreadableCheckpoint`: why a stored one cannot be resumed from
   * (the file is then read from its start).
   */
  | { readonly outcome: 'acquired'; readonly attempts: number; readonly holder: string; readonly checkpoint?: IngestCheckpoint; readonly unreadableCheckpoint?: string }
  | { readonly outcome: 'finished'; readonly entry: LedgerEntry }
  /** `continuing`: the file is being read over several invocations, and its own messages carry it to the end. */
  | { readonly outcome: 'busy'; readonly leaseUntil: number; readonly continuing: boolean };

/** The newest version of a key, by S3 event sequencer, and which version is writing it now. */
export type KeyClaim =
  | { readonly outcome: 'claimed' }
  /** A newer version of the key was seen: this one must not be stored. */
  | { readonly outcome: 'superseded'; readonly by: string }
  /** This is the newest version, but another (older) version is still writing; it stops at its next write. */
  | { readonly outcome: 'busy'; readonly holder: string; readonly until: number };

export type DeadLetterOutcome =
  /** The entry now says failed, with the last error recorded (or the fallback). */
  | { readonly outcome: 'failed'; readonly entry: LedgerEntry }
  /** The file had finished after all (done, quarantined or superseded by another delivery): left as it is. */
  | { readonly outcome: 'finished'; readonly entry: LedgerEntry };

export interface FileLedger {
  /**
   * Takes the file for processing unless it is finished or another worker holds a live lease. A
   * dead-lettered version counts as not finished, so a redrive from the dead-letter queue runs it again.
   */
  acquire(ref: ObjectRef, version: string, now: number, leaseMs: number, handoff?: string): Promise<LeaseOutcome>;
  /**
   * Records a checkpoint while `holder` holds the lease, and hands the file on: the lease is kept
   * until `reservedUntil` for the invocation that presents the returned handoff token to `acquire`
   * (once) — no other worker takes the file meanwhile. Undefined when `holder` no longer holds it.
   */
  checkpoint(ref: ObjectRef, version: string, holder: string, checkpoint: IngestCheckpoint, reservedUntil: number): Promise<string | undefined>;
  /** Writes the finished entry, cut to fit the store's item limit (saying so in `truncated`). */
  complete(entry: LedgerEntry): Promise<void>;
  /** The entry for one version, or the file's newest version (by S3 sequencer; else the most recently received). */
  get(fileId: string, version?: string): Promise<LedgerEntry | undefined>;
  /**
   * A run failed with a passing fault: records its error on the entry and ends the lease, so the
   * retry need not wait for it. Only an entry still processing under `holder`'s lease is touched.
   */
  recordFailure(ref: ObjectRef, version: string, holder: string, error: string, now: number): Promise<void>;
  /** The message of this version reached the dead-letter queue: the entry ends failed, with its last error. */
  deadLetter(ref: ObjectRef, version: string, fallbackError: string, now: number): Promise<DeadLetterOutcome>;
  /**
   * Claims a key for a version with this (padded) sequencer: marks it the newest version unless a
   * newer one was seen, then takes the writer's slot unless another version holds it.
   */
  claimKey(ref: ObjectRef, version: string, sequencer: string, now: number, leaseMs: number): Promise<KeyClaim>;
  /** The version the newest sequencer of the key belongs to, if any was claimed. */
  newestVersion(ref: ObjectRef): Promise<{ readonly version: string; readonly sequencer: string } | undefined>;
  /** Gives up the writer's slot of the key, if this version holds it. */
  releaseKey(ref: ObjectRef, version: string): Promise<void>;
}

/** Alert state per site, saved with optimistic locking so two workers never both announce the same change. */
export interface AlertStateStore {
  load(site: string): Promise<{ readonly data: string; readonly version: number } | undefined>;
  /** Saves when the stored version is still `expectedVersion` (undefined: nothing stored yet); false on conflict. */
  save(site: string, data: string, expectedVersion: number | undefined): Promise<boolean>;
}

/**
 * What ingest tells its listeners as a file goes through: the alert rules judge stored samples, the
 * file-level rules and operations notices follow a finished or quarantined file. Each call happens
 * before the work is acknowledged (the ledger entry is written after `fileDone`/`fileQuarantined`
 * return), so a listener that records what it must announce before returning never loses it.
 */
export interface IngestListener {
  /** A chunk of the file's samples is stored. */
  stored(batch: readonly EvaluatedSample[]): Promise<void>;
  /** The file is read and stored (its ledger entry is written next), with the site-days it touched. */
  fileDone(entry: LedgerEntry, days: readonly SiteDay[]): Promise<void>;
  /** The file is not monitoring data: copied to quarantine (its ledger entry is written next), with the sites it stored samples of before. */
  fileQuarantined(entry: LedgerEntry, sites: readonly string[]): Promise<void>;
}

/**
 * The ingest queue, for what the ingest function sends itself: a file's continuation (the rest of
 * a file an invocation had no time for) and a message put back for a fresh invocation, at once or
 * after `delaySeconds` (SQS allows up to 900).
 */
export interface IngestQueue {
  send(body: string, delaySeconds?: number): Promise<void>;
}

export type Topic = 'alerts' | 'operations';

/**
 * A message as SNS takes it: MessageStructure json with default, email and sms, and attributes
 * (a list is sent as a String.Array, which a filter policy matches when any element matches).
 */
export interface Notification {
  readonly topic: Topic;
  readonly subject: string;
  readonly default: string;
  readonly email: string;
  readonly sms: string;
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
}

export interface Publisher {
  publish(n: Notification): Promise<void>;
}

/** A page of the notification outbox: notifications recorded together and sent in order. */
export interface OutboxPage {
  /** Whose notifications: `site:<id>` (the alert rules), `notice:<key>` (a keyed notice). */
  readonly owner: string;
  /** Sorts the owner's pages in the order they are to be sent. */
  readonly id: string;
  readonly createdAt: number;
  /** tentative: written for a state write that may yet fail; ready: to be sent. */
  readonly status: 'tentative' | 'ready';
  readonly notifications: readonly Notification[];
  /** How many of them SNS has accepted (they are sent in order). */
  readonly sent: number;
  /** The owner's state version a tentative page was written against. */
  readonly base?: number;
  /** Claimed for sending until then (epoch ms). */
  readonly claimUntil?: number;
}

export interface PageRef {
  readonly owner: string;
  readonly id: string;
}

/**
 * Where notifications wait, durably, until SNS has accepted them (DynamoDB, or memory in tests).
 * Claims are conditional writes, so two senders never send one page at once.
 */
export interface NotificationOutbox {
  /**
   * Writes a page unless one with its owner and id exists — or existed: a page written with `mark`
   * leaves a mark when sent, so its id is never recorded twice. Whether it was written.
   */
  add(page: Omit<OutboxPage, 'sent' | 'claimUntil'> & { readonly mark?: boolean }): Promise<boolean>;
  /** An owner's unsent pages, oldest first (reads every write before it). */
  pagesOf(owner: string): Promise<OutboxPage[]>;
  /** Every unsent page, oldest first, at most `limit` (an index: may lag writes by a moment). */
  pending(limit: number): Promise<OutboxPage[]>;
  /** Tentative → ready, once its state write has committed; false when it is not tentative (any more). */
  confirm(ref: PageRef): Promise<boolean>;
  /** Takes a free page for sending until `until` (also a tentative one when `confirm`, making it ready); the page, or undefined. */
  claim(ref: PageRef, claimer: string, now: number, until: number, confirm: boolean): Promise<OutboxPage | undefined>;
  /** The first `sent` notifications are out, and the claim holds until `until`; false when the claim is no longer ours. */
  progress(ref: PageRef, claimer: string, sent: number, until: number): Promise<boolean>;
  /** Gives a claim back (a publish failed) with the first `sent` notifications out. */
  release(ref: PageRef, claimer: string, sent: number): Promise<void>;
  /** Every notification is out: the page goes (a marked page leaves its mark). */
  finish(ref: PageRef, claimer: string): Promise<void>;
  /** A tentative page whose state write did not commit goes (only while still tentative). */
  discard(ref: PageRef): Promise<void>;
}

/** Structured logging, so the handler logs through Powertools on Lambda and quietly locally. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

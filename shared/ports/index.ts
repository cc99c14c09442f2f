/**
 * The small interfaces the ingest and alert logic use to reach storage and the outside world.
 * Adapters (S3, DynamoDB, SNS, a file outbox) implement them; tests and the local runtime swap them.
 */
import type { Evaluation } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';

/** An object in the raw bucket, as an S3 event names it. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  readonly size?: number;
}

/** A file's identity in the ledger and on its samples: bucket/key. */
export const fileIdOf = (ref: ObjectRef) => `${ref.bucket}/${ref.key}`;
/** The version a ledger entry is for: S3's version id, else the ETag (content), else one per key. */
export const versionOf = (ref: ObjectRef) => ref.versionId ?? ref.etag ?? 'unversioned';

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

export function toStored(sample: Sample, evaluation: Evaluation, fileId: string, fileVersion: string): StoredSample {
  return { sample, fileId, fileVersion, grade: evaluation.grade, cwqi: evaluation.cwqi, compliant: evaluation.compliant };
}

/** Sums and counts of valid values for one site, one local day, from one file (in one or more segments). */
export interface DayPart {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly fileId: string;
  /** Which of the file's part flushes this is: a day that recurs late in an unsorted file gets another. */
  readonly segment: number;
  readonly sums: Partial<Record<ParamId, number>>;
  readonly counts: Partial<Record<ParamId, number>>;
  readonly samples: number;
}

/** A site and a local day a file touched: what the flood-season rule looks at after the file. */
export interface SiteDay {
  readonly site: string;
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
}

/** Mean concentrations of valid values over a period (a day or a month) for one site. */
export interface PeriodMeans {
  readonly site: string;
  /** YYYY-MM-DD or YYYY-MM. */
  readonly period: string;
  readonly means: Partial<Record<ParamId, number>>;
  readonly counts: Partial<Record<ParamId, number>>;
  readonly samples: number;
}

export interface SampleStore {
  /** Writes samples; one item per sample under a deterministic key, so writing twice is harmless. */
  putSamples(samples: readonly StoredSample[]): Promise<void>;
  putDayParts(parts: readonly DayPart[]): Promise<void>;
  /** Removes a file's day parts (every version's): a re-run or a new version starts its means afresh. */
  clearDayParts(fileId: string): Promise<void>;
  /** A site's samples with from ≤ time ≤ to (epoch ms), oldest first. */
  querySite(site: string, from?: number, to?: number): AsyncIterable<StoredSample>;
  latest(site: string): Promise<StoredSample | undefined>;
  fileSamples(fileId: string): AsyncIterable<StoredSample>;
  /** Daily means between two local days (inclusive), from the day parts. */
  dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]>;
  /** Monthly means, YYYY-MM to YYYY-MM inclusive. */
  monthlyMeans(site: string, fromMonth: string, toMonth: string): Promise<PeriodMeans[]>;
}

export type LedgerStatus = 'processing' | 'done' | 'failed';

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
  /** The first 100 rejected rows or packets. */
  readonly rejectedRows?: readonly RejectedRow[];
  readonly warnings?: readonly string[];
  readonly sites?: readonly string[];
  readonly error?: string;
  readonly quarantineKey?: string;
}

export type LeaseOutcome =
  | { readonly outcome: 'acquired'; readonly attempts: number }
  | { readonly outcome: 'finished'; readonly entry: LedgerEntry }
  | { readonly outcome: 'busy'; readonly leaseUntil: number };

export interface FileLedger {
  /** Takes the file for processing unless it is finished or another worker holds a live lease. */
  acquire(ref: ObjectRef, version: string, now: number, leaseMs: number): Promise<LeaseOutcome>;
  complete(entry: LedgerEntry): Promise<void>;
  /** The entry for one version, or the most recently received version of the file. */
  get(fileId: string, version?: string): Promise<LedgerEntry | undefined>;
}

/** Alert state per site, saved with optimistic locking so two workers never both announce the same change. */
export interface AlertStateStore {
  load(site: string): Promise<{ readonly data: string; readonly version: number } | undefined>;
  /** Saves when the stored version is still `expectedVersion` (undefined: nothing stored yet); false on conflict. */
  save(site: string, data: string, expectedVersion: number | undefined): Promise<boolean>;
}

export type Topic = 'alerts' | 'operations';

/** A message as SNS takes it: MessageStructure json with default, email and sms, and attributes. */
export interface Notification {
  readonly topic: Topic;
  readonly subject: string;
  readonly default: string;
  readonly email: string;
  readonly sms: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Publisher {
  publish(n: Notification): Promise<void>;
}

/** Structured logging, so the handler logs through Powertools on Lambda and quietly locally. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

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
  /** Monthly means (the mean of daily means), YYYY-MM to YYYY-MM inclusive. */
  monthlyMeans(site: string, fromMonth: string, toMonth: string): Promise<MonthMeans[]>;
  /** Sites with stored day parts in a month (registered or not), in id order. */
  sitesReporting(month: string): Promise<string[]>;
}

export type LedgerStatus = 'processing' | 'done' | 'failed';

export interface RejectedRow {
  readonly line: number;
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
  /** The file is not monitoring data: copied to quarantine (its ledger entry is written next). */
  fileQuarantined(entry: LedgerEntry): Promise<void>;
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

/**
 * Where things live in the raw bucket, and how a stored file is named: the one home of these facts,
 * shared by the functions, the CDK stack (notification filter, grants) and the local runtime.
 */

/** Monitoring systems upload here; only this prefix notifies the ingest queue. */
export const INCOMING_PREFIX = 'incoming/';
/** Copies of files bishui could not read, each with `<key>.error.json` beside it. */
export const QUARANTINE_PREFIX = 'quarantine/';
/** Monthly supervision documents: `reports/YYYY-MM/…`. */
export const REPORTS_PREFIX = 'reports/';

/** An object in the raw bucket, as an S3 event names it. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  readonly size?: number;
  /** The S3 event's sequencer: orders the events of one key (hex, compared after padding). */
  readonly sequencer?: string;
}

/** A file's identity in the ledger and on its samples: bucket/key. */
export const fileIdOf = (ref: Pick<ObjectRef, 'bucket' | 'key'>): string => `${ref.bucket}/${ref.key}`;

/** The version a ledger entry is for: S3's version id, else the ETag (content), else one per key. */
export const versionOf = (ref: Pick<ObjectRef, 'versionId' | 'etag'>): string => ref.versionId ?? ref.etag ?? 'unversioned';

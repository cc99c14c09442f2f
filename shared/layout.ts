/**
 * Where things live in the raw bucket, and how a stored file is named: the one home of these facts,
 * shared by the functions, the CDK stack (notification filter, grants) and the local runtime.
 */
import { createHash } from 'node:crypto';
import { S3_MAX_KEY_BYTES } from './limits.js';

/** Monitoring systems upload here; only this prefix notifies the ingest queue. */
export const INCOMING_PREFIX = 'incoming/';
/** Copies of files bishui could not read, each with `<key>.error.json` beside it. */
export const QUARANTINE_PREFIX = 'quarantine/';
/** Copies of files whose own key is too long to be put under quarantine/ whole (see quarantineKeysOf). */
export const QUARANTINE_LONG_KEYS_PREFIX = `${QUARANTINE_PREFIX}long-keys/`;
/** The report written beside a quarantined copy. */
export const QUARANTINE_REPORT_SUFFIX = '.error.json';
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

/** S3 event sequencers are hex strings of varying length; left-padded to this many digits they compare as strings. */
export const SEQUENCER_DIGITS = 64;

/** A sequencer as stored and compared (upper-case hex, zero-padded), or undefined when it is not one. */
export function paddedSequencer(s: string | undefined): string | undefined {
  if (s === undefined || !/^[0-9A-Fa-f]{1,64}$/.test(s)) return undefined;
  return s.toUpperCase().padStart(SEQUENCER_DIGITS, '0');
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest tail of `s` within `maxBytes` UTF-8 bytes, never splitting a character. */
function utf8Tail(s: string, maxBytes: number): string {
  const chars = Array.from(s);
  let bytes = 0;
  let i = chars.length;
  while (i > 0 && bytes + utf8Bytes(chars[i - 1] as string) <= maxBytes) bytes += utf8Bytes(chars[--i] as string);
  return chars.slice(i).join('');
}

/** The file name kept in a shortened quarantine key, in bytes: enough to recognise it and keep its extension. */
const SHORT_NAME_BYTES = 200;

/**
 * Where a quarantined copy of `key` goes and its report beside it: `quarantine/<key>` and
 * `quarantine/<key>.error.json`, unless those would pass S3's 1,024-byte key limit — then
 * `quarantine/long-keys/<hash of the key>/<end of the file name>`, and the report names the original.
 */
export function quarantineKeysOf(key: string): { readonly copy: string; readonly report: string; readonly shortened: boolean } {
  const copy = `${QUARANTINE_PREFIX}${key}`;
  if (utf8Bytes(copy) + utf8Bytes(QUARANTINE_REPORT_SUFFIX) <= S3_MAX_KEY_BYTES) {
    return { copy, report: `${copy}${QUARANTINE_REPORT_SUFFIX}`, shortened: false };
  }
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  const base = key.split('/').pop() ?? '';
  const name = /^\.{0,2}$/.test(base) ? 'file' : utf8Tail(base, SHORT_NAME_BYTES);
  const short = `${QUARANTINE_LONG_KEYS_PREFIX}${hash}/${name}`;
  return { copy: short, report: `${short}${QUARANTINE_REPORT_SUFFIX}`, shortened: true };
}

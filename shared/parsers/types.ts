/**
 * What every parser yields, record by record, so that a file of any size streams through.
 */
import type { Sample } from '../domain/sample.js';
import type { RecordContext } from './record.js';

export type FileFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'hj212';

export type ParseEvent =
  | { readonly type: 'sample'; readonly sample: Sample }
  /** A row or packet that cannot be a sample; the rest of the file still counts. */
  | { readonly type: 'rejected'; readonly line: number; readonly sheet?: string; readonly reason: string }
  /** A record that carries no sample by design (an HJ 212 heartbeat, a reply); counted, not an error. */
  | { readonly type: 'skipped'; readonly line: number; readonly sheet?: string; readonly reason: string }
  /** Something about the file worth telling that rejects nothing (a column bishui cannot use). */
  | { readonly type: 'warning'; readonly message: string };

/** A file that is not monitoring data at all; nothing in it is read. */
export class FileRejectedError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'FileRejectedError';
  }
}

export type ParseContext = RecordContext;



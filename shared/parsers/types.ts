/**
 * What every parser yields, record by record, so that a file of any size streams through.
 */
import type { Sample } from '../domain/sample.js';
import { safeText } from '../safe-text.js';
import type { RecordContext } from './record.js';

export type FileFormat = 'csv' | 'tsv' | 'xlsx' | 'json' | 'ndjson' | 'hj212';

/** One value that could not be kept; the rest of its sample is. */
export interface CellFault {
  readonly line: number;
  readonly sheet?: string;
  /** The indicator (a catalogue id such as `COD`), or the column or key as written when it has none. */
  readonly param: string;
  /** The cell as written, made safe to show (control characters escaped, cut). */
  readonly value: string;
  /** What is wrong and what was expected. */
  readonly reason: string;
}

export type ParseEvent =
  | { readonly type: 'sample'; readonly sample: Sample }
  /** A row or packet that cannot be a sample at all; the rest of the file still counts. */
  | { readonly type: 'rejected'; readonly line: number; readonly sheet?: string; readonly reason: string }
  /**
   * A record that carries no sample by design (an HJ 212 heartbeat or log message, a statistics
   * or remarks row under a table); counted, not an error.
   */
  | { readonly type: 'skipped'; readonly line: number; readonly sheet?: string; readonly reason: string }
  /** A value dropped from a sample that was kept (not a number, implausible, too long). */
  | ({ readonly type: 'cell' } & CellFault)
  /** Cells holding no value (blank, `--`, `#N/A`, `缺测`…), counted once per file at its end. */
  | { readonly type: 'missing'; readonly count: number }
  /** Something about the file worth telling that rejects nothing (a column bishui cannot use). */
  | {
    readonly type: 'warning'; readonly message: string; readonly line?: number;
    /** An unregistered site name close to a registered site: the name as written and the site's id. */
    readonly nearMiss?: { readonly name: string; readonly site: string };
  };

/**
 * A file that is not monitoring data at all; nothing in it is read. `reason` is English (the CLI
 * and the ledger keep it); `reasonZh`, when given, is the same in Chinese for the people the
 * operations notice reaches.
 */
export class FileRejectedError extends Error {
  readonly reason: string;
  constructor(readonly file: string, reason: string, readonly reasonZh?: string) {
    const safe = safeText(reason);
    super(`${file}: ${safe}`);
    this.reason = safe;
    this.name = 'FileRejectedError';
  }
}

export type ParseContext = RecordContext;

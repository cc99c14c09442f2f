/**
 * A file's records → events, with what is counted over the whole file: one per file, shared by
 * every format, so a sample, its dropped cells, a rejection and the missing count come out alike.
 */
import type { RawRecord, RecordContext } from './record.js';
import { buildSample } from './record.js';
import type { CellFault, ParseEvent } from './types.js';

export function rejectedEvent(line: number, sheet: string | undefined, reason: string): ParseEvent {
  return sheet === undefined ? { type: 'rejected', line, reason } : { type: 'rejected', line, sheet, reason };
}

export function skippedEvent(line: number, sheet: string | undefined, reason: string): ParseEvent {
  return sheet === undefined ? { type: 'skipped', line, reason } : { type: 'skipped', line, sheet, reason };
}

export function cellEvent(f: CellFault): ParseEvent {
  return { type: 'cell', ...f };
}

export class RecordEvents {
  /** Cells without a value (blank or a missing marker) so far. */
  missing = 0;

  constructor(readonly ctx: RecordContext) {}

  /** Builds the record and pushes its events: the sample and its dropped cells, or the rejection. */
  push(rec: RawRecord, out: ParseEvent[]): void {
    const r = buildSample(rec, this.ctx);
    this.missing += r.missing;
    if (!r.ok) {
      out.push(rejectedEvent(rec.line, rec.sheet, r.reason));
      return;
    }
    out.push({ type: 'sample', sample: r.sample });
    if (r.faults) for (const f of r.faults) out.push(cellEvent(f));
  }

  /** The file's counts, once it has been read to the end. */
  finish(out: ParseEvent[]): void {
    if (this.missing > 0) out.push({ type: 'missing', count: this.missing });
  }
}

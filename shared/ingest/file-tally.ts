/**
 * What a file's ledger entry says about its rows: counts, the first rejected rows and warnings
 * (bounded: shared/limits.ts), and the sites it named.
 */
import { LEDGER_REJECTED_ROWS_KEPT, LEDGER_WARNINGS_KEPT } from '../limits.js';
import type { ParseEvent } from '../parsers/types.js';
import type { RejectedRow } from '../ports/index.js';

export class FileTally {
  accepted = 0;
  rejected = 0;
  skipped = 0;
  readonly rejectedRows: RejectedRow[] = [];
  readonly warnings: string[] = [];
  readonly sites = new Set<string>();

  /** Counts one parse event other than a sample (samples are counted by `sample`). */
  note(ev: Exclude<ParseEvent, { type: 'sample' }>): void {
    switch (ev.type) {
      case 'rejected':
        this.rejected++;
        if (this.rejectedRows.length < LEDGER_REJECTED_ROWS_KEPT) this.rejectedRows.push({ line: ev.line, reason: ev.reason });
        break;
      case 'skipped':
        this.skipped++;
        break;
      case 'warning':
        if (this.warnings.length < LEDGER_WARNINGS_KEPT) this.warnings.push(ev.message);
        break;
    }
  }

  sample(site: string): void {
    this.accepted++;
    this.sites.add(site);
  }
}

/**
 * What a file's ledger entry says about its rows: counts, the first rejected rows and warnings and
 * the first sites it named — each list and each text bounded (shared/limits.ts), and what was left
 * out said in words, so an entry never grows with its file.
 */
import { LEDGER_NEAR_MISSES_KEPT, LEDGER_REJECTED_ROWS_KEPT, LEDGER_SITES_KEPT, LEDGER_WARNINGS_KEPT, MAX_REASON_CHARS, MAX_SITE_NAME_CHARS } from '../limits.js';
import { rowLabel } from '../parsers/table-rows.js';
import type { ParseEvent } from '../parsers/types.js';
import type { LedgerEntry, RejectedRow, TallyState } from '../ports/index.js';
import { boundedText } from './bounded-text.js';

export class FileTally {
  accepted = 0;
  rejected = 0;
  skipped = 0;
  /** Values dropped from kept samples (cell faults). */
  warned = 0;
  /** Cells without a value (blank, --, 缺测…). */
  missing = 0;
  warningCount = 0;
  readonly rejectedRows: RejectedRow[] = [];
  readonly warnings: string[] = [];
  readonly sites = new Set<string>();
  readonly nearMisses: { name: string; site: string }[] = [];
  private moreSites = false;

  /** A tally that goes on from where an earlier invocation's stopped (its checkpoint). */
  static from(state: TallyState): FileTally {
    const t = new FileTally();
    t.accepted = state.accepted;
    t.rejected = state.rejected;
    t.skipped = state.skipped;
    t.warned = state.warned;
    t.missing = state.missing;
    t.warningCount = state.warningCount;
    t.rejectedRows.push(...state.rejectedRows);
    t.warnings.push(...state.warnings);
    for (const site of state.sites) t.sites.add(site);
    t.nearMisses.push(...state.nearMisses);
    t.moreSites = state.moreSites;
    return t;
  }

  /** Everything the tally holds, for a checkpoint: `from(state())` goes on exactly as this one would. */
  state(): TallyState {
    return {
      accepted: this.accepted, rejected: this.rejected, skipped: this.skipped, warned: this.warned, missing: this.missing,
      warningCount: this.warningCount, rejectedRows: [...this.rejectedRows], warnings: [...this.warnings],
      sites: [...this.sites], moreSites: this.moreSites, nearMisses: [...this.nearMisses],
    };
  }

  /** Counts one parse event other than a sample (samples are counted by `sample`). */
  note(ev: Exclude<ParseEvent, { type: 'sample' }>): void {
    switch (ev.type) {
      case 'rejected':
        this.reject(ev.line, ev.reason, ev.sheet);
        break;
      case 'skipped':
        this.skipped++;
        break;
      case 'cell':
        this.warned++;
        this.warn(`line ${rowLabel(ev.line, ev.sheet)}, ${ev.param} '${ev.value}': ${ev.reason}`);
        break;
      case 'missing':
        this.missing += ev.count;
        break;
      case 'warning':
        this.warn(ev.line === undefined ? ev.message : `line ${ev.line}: ${ev.message}`);
        if (ev.nearMiss && this.nearMisses.length < LEDGER_NEAR_MISSES_KEPT) {
          this.nearMisses.push({ name: boundedText(ev.nearMiss.name, MAX_SITE_NAME_CHARS), site: ev.nearMiss.site });
        }
        break;
    }
  }

  /** A row that cannot be a sample, or one the store would refuse. */
  reject(line: number, reason: string, sheet?: string): void {
    this.rejected++;
    if (this.rejectedRows.length < LEDGER_REJECTED_ROWS_KEPT) {
      const bounded = boundedText(reason, MAX_REASON_CHARS);
      this.rejectedRows.push(sheet === undefined ? { line, reason: bounded } : { line, sheet, reason: bounded });
    }
  }

  private warn(text: string): void {
    this.warningCount++;
    if (this.warnings.length < LEDGER_WARNINGS_KEPT) this.warnings.push(boundedText(text, MAX_REASON_CHARS));
  }

  sample(site: string): void {
    this.accepted++;
    if (this.sites.size < LEDGER_SITES_KEPT) this.sites.add(site);
    else if (!this.sites.has(site)) this.moreSites = true;
  }

  /** The ledger entry's fields about rows, warnings and sites. */
  fields(): Pick<LedgerEntry, 'accepted' | 'rejected' | 'skipped' | 'warned' | 'missing' | 'rejectedRows' | 'warnings' | 'warningCount' | 'nearMisses' | 'sites' | 'truncated'> {
    const left: string[] = [];
    if (this.rejected > this.rejectedRows.length) left.push(`${this.rejectedRows.length} of ${this.rejected} rejected rows kept`);
    if (this.warningCount > this.warnings.length) left.push(`${this.warnings.length} of ${this.warningCount} warnings kept`);
    if (this.moreSites) left.push(`the first ${LEDGER_SITES_KEPT} sites kept`);
    return {
      accepted: this.accepted, rejected: this.rejected, skipped: this.skipped, warned: this.warned, missing: this.missing,
      rejectedRows: this.rejectedRows, warnings: this.warnings, warningCount: this.warningCount, sites: [...this.sites],
      ...(this.nearMisses.length > 0 ? { nearMisses: this.nearMisses } : {}),
      ...(left.length > 0 ? { truncated: left.join('; ') } : {}),
    };
  }
}

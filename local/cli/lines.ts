/** One line per file outcome and per notification, as `start` and `ingest` print them. */
import type { LedgerEntry, Notification } from '../../shared/ports/index.js';
import { terminalSafe } from './terminal-text.js';

/**
 * A file's outcome: `✓` stored now, `✗` quarantined now, `=` the same content was ingested (or
 * quarantined) before and nothing was done again.
 */
export function ledgerLine(e: LedgerEntry | undefined, name: string, isNew = true): string {
  const n = terminalSafe(name);
  if (!e) return `  ? ${n}: no ledger entry yet`;
  if (e.status === 'processing') return `  … ${n}: still processing`;
  if (e.status === 'superseded') return `  ↷ ${n}: superseded by a newer upload of the same key (${terminalSafe(e.supersededBy ?? '?')}); not stored`;
  if (e.status === 'failed' && e.deadLetteredAt) return `  ✗ ${n}: failed on every delivery (dead-lettered) — ${terminalSafe(e.error ?? 'unknown reason')}`;
  const when = e.finishedAt ? ` on ${e.finishedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  if (e.status === 'failed') {
    const why = terminalSafe(e.error ?? 'unknown reason');
    return isNew ? `  ✗ ${n}: quarantined — ${why} (copy at ${terminalSafe(e.quarantineKey ?? '?')})` : `  = ${n}: quarantined earlier${when} — ${why}; same content, not read again`;
  }
  if (!isNew) return `  = ${n}: already ingested${when} (${e.accepted ?? 0} samples); same content, nothing stored again`;
  const first = e.rejectedRows?.[0];
  const extra = e.rejected ? `, ${e.rejected} rejected${first ? ` (first: line ${first.line}: ${terminalSafe(first.reason)})` : ''}` : '';
  return `  ✓ ${n}: ${e.format} ${e.encoding ?? ''}, ${e.accepted} samples stored${extra}${e.skipped ? `, ${e.skipped} packets without samples` : ''}`;
}

/** A file an invocation had no time to finish: the rest goes on in a fresh one. */
export function continuedLine(name: string, events: number, continuations: number): string {
  return `  … ${terminalSafe(name)}: ${events.toLocaleString('en-US')} records read, the rest goes on in a fresh invocation (${continuations})`;
}

/** A local file that could not be read, or that the pipeline gave up on without a ledger outcome. */
export function notReadLine(path: string, status: 'not-read' | 'dead-lettered', error: string): string {
  return `  ✗ ${terminalSafe(path)}: ${status === 'not-read' ? 'not read' : 'dead-lettered'} — ${terminalSafe(error)}`;
}

export function notificationLine(n: Notification): string {
  return `  ⚑ [${n.topic}/${n.attributes.severity ?? ''}] ${terminalSafe(n.sms)}`;
}

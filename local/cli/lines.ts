/** One line per file outcome and per notification, as `start` and `ingest` print them. */
import type { LedgerEntry, Notification } from '../../shared/ports/index.js';

export function ledgerLine(e: LedgerEntry | undefined, name: string): string {
  if (!e) return `  ? ${name}: no ledger entry yet`;
  if (e.status === 'failed' && e.deadLetteredAt) return `  ✗ ${name}: failed on every delivery (dead-lettered) — ${e.error}`;
  if (e.status === 'failed') return `  ✗ ${name}: quarantined — ${e.error} (copy at ${e.quarantineKey})`;
  if (e.status === 'superseded') return `  ↷ ${name}: superseded by a newer upload of the same key (${e.supersededBy}); not stored`;
  if (e.status === 'processing') return `  … ${name}: still processing`;
  const extra = e.rejected ? `, ${e.rejected} rejected (first: line ${e.rejectedRows?.[0]?.line}: ${e.rejectedRows?.[0]?.reason})` : '';
  return `  ✓ ${name}: ${e.format} ${e.encoding ?? ''}, ${e.accepted} samples${extra}${e.skipped ? `, ${e.skipped} packets without samples` : ''}`;
}

export function notificationLine(n: Notification): string {
  return `  ⚑ [${n.topic}/${n.attributes.severity ?? ''}] ${n.sms}`;
}

/**
 * A file's checkpoint as the ledger keeps it between invocations (the shape: IngestCheckpoint in
 * shared/ports). What comes back from the table is checked before it is trusted: a checkpoint an
 * older or newer bishui wrote in another shape is not resumed from — the file is read again from
 * its start, which is always safe (deterministic sample keys, day parts cleared before the first
 * new one, alerts that never announce a reading twice).
 */
import * as z from 'zod/mini';
import '../domain/zod-messages.js';
import type { IngestCheckpoint } from '../ports/index.js';

const count = z.number().check(z.int(), z.gte(0));

const tallyState = z.object({
  accepted: count, rejected: count, skipped: count, warned: count, missing: count, warningCount: count,
  rejectedRows: z.array(z.object({ line: count, sheet: z.optional(z.string()), reason: z.string() })),
  warnings: z.array(z.string()),
  sites: z.array(z.string()),
  moreSites: z.boolean(),
  nearMisses: z.array(z.object({ name: z.string(), site: z.string() })),
});

const checkpointSchema = z.object({
  events: count,
  continuations: z.number().check(z.int(), z.positive()),
  startedAt: count,
  segment: count,
  partsCleared: z.boolean(),
  tally: tallyState,
});

/** The checkpoint as stored, or undefined (with why) when it is not one this code can resume from. */
export function readCheckpoint(stored: unknown): { readonly checkpoint?: IngestCheckpoint; readonly problem?: string } {
  if (stored === undefined) return {};
  const parsed = checkpointSchema.safeParse(stored);
  if (parsed.success) return { checkpoint: parsed.data };
  return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

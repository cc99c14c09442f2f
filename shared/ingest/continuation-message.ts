/**
 * The message an invocation that ran out of time sends to the ingest queue for the rest of a file:
 * the object as its S3 event named it (version and sequencer included, so the continuation reads
 * the same content and keeps its place among the key's versions) and the ledger's handoff token,
 * which lets the continuation — and no other worker — take the file's lease at once.
 */
import * as z from 'zod/mini';
import '../domain/zod-messages.js';
import type { ObjectRef } from '../layout.js';

const KIND = 'bishui:continue';

const continuationSchema = z.object({
  kind: z.literal(KIND),
  object: z.object({
    bucket: z.string().check(z.minLength(1)),
    key: z.string().check(z.minLength(1)),
    versionId: z.optional(z.string()),
    etag: z.optional(z.string()),
    size: z.optional(z.number()),
    sequencer: z.optional(z.string().check(z.regex(/^[0-9A-F]{1,64}$/, 'a sequencer is 1 to 64 upper-case hex digits'))),
  }),
  handoff: z.string().check(z.minLength(1)),
});

export interface Continuation {
  readonly ref: ObjectRef;
  readonly handoff: string;
}

export function continuationBody(c: Continuation): string {
  return JSON.stringify({ kind: KIND, object: c.ref, handoff: c.handoff });
}

/** Whether a parsed message body claims to be a continuation (then it must be a valid one). */
export const looksLikeContinuation = (json: unknown): boolean =>
  typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === KIND;

/** The continuation a message body holds; throws an Error naming what is wrong when it is not a valid one. */
export function parseContinuation(json: unknown): Continuation {
  const parsed = continuationSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`continuation message is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const o = parsed.data.object;
  const ref: ObjectRef = {
    bucket: o.bucket, key: o.key,
    ...(o.versionId !== undefined ? { versionId: o.versionId } : {}),
    ...(o.etag !== undefined ? { etag: o.etag } : {}),
    ...(o.size !== undefined ? { size: o.size } : {}),
    ...(o.sequencer !== undefined ? { sequencer: o.sequencer } : {}),
  };
  return { ref, handoff: parsed.data.handoff };
}

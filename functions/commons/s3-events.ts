/**
 * SQS messages that carry S3 event notifications, validated with zod. S3 URL-encodes object keys
 * in events ('+' for a space, %XX for the rest, Chinese file names included), and gives each event a
 * sequencer (hex) that orders the events of one key. The ingest queue also carries the
 * continuations the ingest function sends itself (shared/ingest/continuation-message.ts): the same
 * shape comes out, with the handoff token.
 */
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';
import { looksLikeContinuation, parseContinuation } from '../../shared/ingest/continuation-message.js';
import type { ObjectRef } from '../../shared/layout.js';

const s3Record = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.number()),
      eTag: z.optional(z.string()),
      versionId: z.optional(z.string()),
      sequencer: z.optional(z.string().check(z.regex(/^[0-9A-Fa-f]{1,64}$/, 'a sequencer is 1 to 64 hex digits'))),
    }),
  }),
});

const notification = z.union([
  z.object({ Records: z.array(s3Record) }),
  z.looseObject({ Event: z.literal('s3:TestEvent') }),
]);

export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** `handoff`: a continuation's token, which takes over the lease of the invocation that sent it. */
export type S3Message = { kind: 'test' } | { kind: 'objects'; refs: ObjectRef[]; ignored: string[]; handoff?: string };

/** Parses one SQS body; throws an Error naming what is wrong when it is neither an S3 notification nor a continuation. */
export function parseS3Message(body: string): S3Message {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`message body is not JSON: '${body.slice(0, 80)}'`);
  }
  if (looksLikeContinuation(json)) {
    const c = parseContinuation(json);
    return { kind: 'objects', refs: [c.ref], ignored: [], handoff: c.handoff };
  }
  const parsed = notification.safeParse(json);
  if (!parsed.success) {
    throw new Error(`message is not an S3 event notification: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  if ('Event' in parsed.data) return { kind: 'test' };
  const refs: ObjectRef[] = [];
  const ignored: string[] = [];
  for (const r of parsed.data.Records) {
    if (!r.eventName.startsWith('ObjectCreated:')) { ignored.push(r.eventName); continue; }
    const o = r.s3.object;
    refs.push({
      bucket: r.s3.bucket.name, key: decodeS3Key(o.key),
      ...(o.versionId ? { versionId: o.versionId } : {}),
      ...(o.eTag ? { etag: o.eTag.replace(/"/g, '') } : {}),
      ...(o.size !== undefined ? { size: o.size } : {}),
      ...(o.sequencer ? { sequencer: o.sequencer } : {}),
    });
  }
  return { kind: 'objects', refs, ignored };
}

/**
 * The local S3 refuses what S3 refuses, and what a disk must not take. s3rver stores an object as a
 * file named by its key, checks no key length and resolves '..': `incoming/../../x` would be written
 * outside its data dir. In front of its router:
 * - a key over S3's 1,024 UTF-8 bytes is refused with S3's own error (KeyTooLongError, 400);
 * - a key with a '..' segment is refused (S3 would store it as a name; the local store cannot);
 * - a key segment longer than a file name may be is refused: S3 has no such limit, but s3rver keeps
 *   each segment as a file name (255 bytes, with its own suffix of up to 22), and without this it
 *   dies on ENAMETOOLONG. Uploads under incoming/ may have 11 bytes less, so that every file taken
 *   in can also be quarantined with its `.error.json` report beside it;
 * - x-amz-copy-source is handed on so that s3rver's decodeURI gets the key back whole. S3 decodes
 *   the header completely; s3rver's decodeURI leaves %2B and the other reserved characters encoded,
 *   so copying a key with '+' (a quarantine copy) failed with "The specified key does not exist".
 */
import type S3rver from 's3rver';
import { INCOMING_PREFIX, QUARANTINE_REPORT_SUFFIX } from '../../shared/layout.js';
import { S3_MAX_KEY_BYTES } from '../../shared/limits.js';

/** A file name (NAME_MAX, on Linux and macOS) less s3rver's longest suffix, `._S3rver_metadata.json`. */
const MAX_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;
/** An upload's segments leave room for the quarantine report's suffix. */
const MAX_UPLOAD_SEGMENT_BYTES = MAX_SEGMENT_BYTES - QUARANTINE_REPORT_SUFFIX.length;

interface Ctx {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type Next = () => Promise<unknown>;

/** Why S3 (or the local disk) would refuse this key, or undefined. */
export function localKeyRefusal(key: string): { code: string; message: string } | undefined {
  if (Buffer.byteLength(key, 'utf8') > S3_MAX_KEY_BYTES) return { code: 'KeyTooLongError', message: 'Your key is too long' };
  const segments = key.split('/');
  if (segments.includes('..')) {
    return { code: 'InvalidArgument', message: "The local S3 refuses keys with a '..' segment: it would write them outside its data directory" };
  }
  const max = key.startsWith(INCOMING_PREFIX) ? MAX_UPLOAD_SEGMENT_BYTES : MAX_SEGMENT_BYTES;
  if (segments.some((seg) => Buffer.byteLength(seg, 'utf8') > max)) {
    return { code: 'InvalidArgument', message: `The local S3 keeps each part of a key between slashes as a file name: at most ${max} bytes here (S3 itself has no such limit)` };
  }
  return undefined;
}

function refuse(ctx: Ctx, key: string, r: { code: string; message: string }): void {
  ctx.status = 400;
  // s3rver renders plain objects as XML, the shape the SDK reads S3 errors from.
  ctx.body = { Error: { Code: r.code, Message: r.message, Key: key.length > 200 ? `${key.slice(0, 199)}…` : key } };
}

/** The object key a path-style request names (`/bucket/key`), or undefined for a bucket or service request. */
function keyOf(path: string): string | undefined {
  const slash = path.indexOf('/', 1);
  if (slash < 0 || slash === path.length - 1) return undefined;
  return decodeURIComponent(path.slice(slash + 1));
}

async function guard(ctx: Ctx, next: Next): Promise<unknown> {
  let key: string | undefined;
  try {
    key = keyOf(ctx.path);
  } catch {
    ctx.status = 400;
    ctx.body = { Error: { Code: 'InvalidURI', Message: "Couldn't parse the specified URI." } };
    return undefined;
  }
  const refusal = key === undefined ? undefined : localKeyRefusal(key);
  if (key !== undefined && refusal) return refuse(ctx, key, refusal);
  const source = ctx.headers['x-amz-copy-source'];
  if (typeof source === 'string') {
    // Encoded, a '?' can only start the query (a versionId s3rver does not keep): the key is before it.
    const [encoded = ''] = source.split('?');
    let sourcePath: string;
    try {
      sourcePath = decodeURIComponent(encoded).replace(/^\//, '');
    } catch {
      ctx.status = 400;
      ctx.body = { Error: { Code: 'InvalidArgument', Message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey' } };
      return undefined;
    }
    const sourceKey = sourcePath.slice(sourcePath.indexOf('/') + 1);
    const sourceRefusal = localKeyRefusal(sourceKey);
    if (sourceRefusal) return refuse(ctx, sourceKey, sourceRefusal);
    ctx.headers['x-amz-copy-source'] = encodeURI(sourcePath); // decodeURI(encodeURI(p)) === p
  }
  return next();
}

/** Puts the guard in front of s3rver's router: after its logging, XML rendering and virtual-host rewriting. */
export function guardS3rver(s3rver: S3rver): void {
  const chain = (s3rver as unknown as { middleware: unknown[] }).middleware;
  chain.splice(chain.length - 1, 0, guard);
}

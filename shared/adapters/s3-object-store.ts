/**
 * S3 behind the ObjectStore port. Bodies stream; nothing is buffered whole. A key S3 would refuse
 * (over 1,024 UTF-8 bytes) is refused here first, with the key named, wherever the bucket lives.
 */
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3_MAX_KEY_BYTES } from '../limits.js';
import type { ObjectBody, ObjectRef, ObjectStore } from '../ports/index.js';

/** Throws when S3 would refuse the key (KeyTooLongError). */
export function assertS3Key(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > S3_MAX_KEY_BYTES) {
    throw Object.assign(new Error(`S3 refuses keys over ${S3_MAX_KEY_BYTES.toLocaleString('en-US')} bytes; this one is ${bytes.toLocaleString('en-US')}: ${key.slice(0, 80)}…`), { name: 'KeyTooLongError' });
  }
}

/** CopySource wants the key URL-encoded, '/' kept. */
export const copySource = (bucket: string, key: string, versionId?: string) =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async get(ref: ObjectRef): Promise<ObjectBody> {
    const res = await this.s3.send(new GetObjectCommand({
      Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}),
    }));
    if (!res.Body) throw new Error(`s3://${ref.bucket}/${ref.key} has no body`);
    return {
      body: res.Body as AsyncIterable<Uint8Array>,
      ...(res.ETag ? { etag: res.ETag.replace(/"/g, '') } : {}),
      ...(res.VersionId ? { versionId: res.VersionId } : {}),
    };
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType?: string): Promise<void> {
    assertS3Key(key);
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) }));
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    assertS3Key(toKey);
    await this.s3.send(new CopyObjectCommand({ Bucket: from.bucket, Key: toKey, CopySource: copySource(from.bucket, from.key, from.versionId) }));
  }
}

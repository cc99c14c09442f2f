/** S3 behind the ObjectStore port. Bodies stream; nothing is buffered whole. */
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectBody, ObjectRef, ObjectStore } from '../ports/index.js';

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
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) }));
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    await this.s3.send(new CopyObjectCommand({ Bucket: from.bucket, Key: toKey, CopySource: copySource(from.bucket, from.key, from.versionId) }));
  }
}

/** The monthly documents in the raw bucket, behind the ReportStore port. */
import { DeleteObjectCommand, PutObjectCommand, type S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { ReportStore } from '../ports/index.js';

export class S3ReportStore implements ReportStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    }
    return keys.sort();
  }

  /** In the versioned bucket this adds a delete marker: the earlier document stays as a noncurrent version. */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

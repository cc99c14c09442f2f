/**
 * The local stand-in for SNS: each message is appended to an outbox file as the exact
 * PublishCommand input, one JSON line each, and handed to a listener (the CLI prints it).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notification, Publisher } from '../ports/index.js';
import { publishInput } from './sns-publisher.js';

export const localTopicArn = (topic: string) => `arn:aws:sns:local:000000000000:bishui-${topic}`;

export class FileOutboxPublisher implements Publisher {
  constructor(private readonly path: string, private readonly onPublish?: (n: Notification) => void) {}

  async publish(n: Notification): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(publishInput(n, localTopicArn(n.topic)))}\n`, 'utf8');
    this.onPublish?.(n);
  }
}

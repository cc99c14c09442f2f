/**
 * SQS behind the IngestQueue port: the ingest function sends messages to its own queue
 * (continuations, messages put back). The SDK client loads on the first send, not at cold start:
 * most invocations never send one.
 */
import type { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { IngestQueue } from '../ports/index.js';

interface Sqs {
  readonly client: SQSClient;
  readonly Send: typeof SendMessageCommand;
}

export class SqsIngestQueue implements IngestQueue {
  private sqs: Promise<Sqs> | undefined;

  constructor(private readonly queueUrl: string) {}

  async send(body: string, delaySeconds?: number): Promise<void> {
    this.sqs ??= import('@aws-sdk/client-sqs').then((m) => ({ client: new m.SQSClient({}), Send: m.SendMessageCommand }));
    const { client, Send } = await this.sqs;
    await client.send(new Send({ QueueUrl: this.queueUrl, MessageBody: body, ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}) }));
  }
}

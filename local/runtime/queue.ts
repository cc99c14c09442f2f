/**
 * An in-process queue with the semantics of the SQS trigger: messages are delivered in batches as
 * Lambda's SQS event, a failed message (listed in batchItemFailures, or every message when the
 * handler throws) becomes visible again after the visibility timeout, and after maxReceiveCount
 * receives it moves to the dead-letter queue. A message may be sent with a delay, as SQS's
 * DelaySeconds.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface QueueOptions {
  readonly batchSize?: number;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  readonly queueArn?: string;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export class InProcessQueue {
  private readonly messages: QueuedMessage[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  private running = false;
  private stopped = false;
  private pumping: Promise<void> | undefined;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly batchSize: number;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;
  private readonly queueArn: string;

  constructor(
    private readonly handler: QueueHandler,
    options: QueueOptions = {},
    private readonly onDeadLetter?: (m: QueuedMessage) => void,
  ) {
    this.batchSize = options.batchSize ?? 10;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.queueArn = options.queueArn ?? 'arn:aws:sqs:local:000000000000:bishui-ingest';
  }

  send(body: string, delaySeconds = 0): string {
    const messageId = randomUUID();
    const sentAt = Date.now();
    this.messages.push({ messageId, body, sentAt, receiveCount: 0, visibleAt: delaySeconds > 0 ? sentAt + delaySeconds * 1000 : 0 });
    this.kick();
    return messageId;
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Resolves when no message is waiting or being handled. */
  idle(): Promise<void> {
    if (this.messages.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Delivers nothing more and resolves when the batch being handled has finished, so whoever
   * closes the stores behind the handler does not pull them from under a write in flight.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pumping;
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startPump(), 0);
  }

  private startPump(): void {
    if (!this.running) this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    this.timer = undefined;
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.stopped) return;
        const now = Date.now();
        const batch = this.messages.filter((m) => m.visibleAt <= now).slice(0, this.batchSize);
        if (batch.length === 0) break;
        await this.deliver(batch);
      }
    } finally {
      this.running = false;
    }
    const waiting = this.messages.filter((m) => m.visibleAt > Date.now());
    if (waiting.length > 0) {
      const next = Math.min(...waiting.map((m) => m.visibleAt)) - Date.now();
      if (!this.stopped) this.timer = setTimeout(() => this.startPump(), Math.max(0, next));
    } else if (this.messages.length === 0 && this.inFlight === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async deliver(batch: QueuedMessage[]): Promise<void> {
    const now = Date.now();
    for (const m of batch) {
      m.receiveCount++;
      m.visibleAt = now + this.visibilityTimeoutMs; // invisible while being handled
    }
    this.inFlight += batch.length;
    let failed: Set<string>;
    try {
      const res = await this.handler({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    } finally {
      this.inFlight -= batch.length;
    }
    for (const m of batch) {
      const i = this.messages.indexOf(m);
      if (!failed.has(m.messageId)) {
        this.messages.splice(i, 1); // deleted: handled
      } else if (m.receiveCount >= this.maxReceiveCount) {
        this.messages.splice(i, 1);
        this.deadLetters.push(m);
        this.onDeadLetter?.(m);
      }
      // otherwise it stays, visible again once the visibility timeout has passed
    }
  }

  private record(m: QueuedMessage): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queueArn,
      awsRegion: 'local',
    };
  }
}

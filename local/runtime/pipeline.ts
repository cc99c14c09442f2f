/**
 * The whole pipeline in one process: s3rver → (S3 event, keys encoded and sequencers given as S3
 * does) → in-process queue with SQS semantics → the very ingest handler the Lambda runs, built by
 * the same composition root → dynalite, with a file outbox standing in for SNS. Messages that fail
 * every delivery move to a dead-letter queue whose handler is the dead-letter function's. Each
 * delivery is an invocation with a time budget, as Lambda's timeout is: a file that needs longer
 * goes on in the next through a continuation message on the same queue, as in AWS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { type Services, compose } from '../../functions/commons/composition-root.js';
import type { BishuiConfig } from '../../functions/commons/config.js';
import { parseS3Message } from '../../functions/commons/s3-events.js';
import { createDeadLetterHandler } from '../../functions/dead-letter/dead-letter-handler.js';
import { type HandledObject, type InvocationContext, createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { FileOutboxPublisher } from '../../shared/adapters/file-outbox-publisher.js';
import { FileReportStore } from '../../shared/adapters/file-report-store.js';
import type { AlertConfig } from '../../shared/alerts/config.js';
import type { SupervisionConfig } from '../../shared/config/supervision.js';
import type { StationStatus } from '../../shared/alerts/watchdog.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { DEFAULT_HANDOFF_RESERVE_MS, type IngestDeps } from '../../shared/ingest/ingest-object.js';
import { INCOMING_PREFIX, type ObjectRef } from '../../shared/layout.js';
import type { IngestListener, Log, Notification, ReportStore } from '../../shared/ports/index.js';
import type { SupervisionRun } from '../../shared/supervision/run-supervision.js';
import {
  type Emulators, LOCAL_BUCKET, LOCAL_TABLE, ensureTable, localDynamoClient, localS3Client, startEmulators,
} from './emulators.js';
import { localTopicArn } from '../../shared/adapters/file-outbox-publisher.js';
import { InProcessQueue, type QueuedMessage } from './queue.js';
import { sequencerClock } from './sequencer.js';

export type PipelineEvent =
  | { readonly type: 'handled'; readonly handled: HandledObject }
  | { readonly type: 'notification'; readonly notification: Notification }
  | { readonly type: 'dead-letter'; readonly message: QueuedMessage };

export interface LocalPipelineOptions {
  /** Persist emulator data and the outbox here; in memory (outbox in a temp dir) when absent. */
  readonly dataDir?: string;
  readonly outboxPath?: string;
  readonly registry?: SiteRegistry;
  readonly log?: Log;
  readonly now?: () => number;
  readonly leaseMs?: number;
  /** An invocation's time, as the function's timeout (default: the lease, as the stack sets it); tests make it short to force continuations. */
  readonly invocationBudgetMs?: number;
  /** Time an invocation keeps back for handing a file on (default: a fifth of the budget, at most the function's 60 s). */
  readonly handoffReserveMs?: number;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  readonly s3Port?: number;
  readonly dynamoPort?: number;
  /** SDK retry attempts for DynamoDB (tests inject failures below the SDK's own retries). */
  readonly dynamoMaxAttempts?: number;
  /** Lets tests wrap the handler's dependencies (inject a crash, throttling…). */
  readonly wrapDeps?: (deps: IngestDeps, clients: { dynamo: DynamoDBClient; doc: DynamoDBDocumentClient }) => IngestDeps;
  readonly onEvent?: (e: PipelineEvent) => void;
  /** Alert rules on (default) or off; their settings. */
  readonly alerts?: boolean;
  readonly alertConfig?: AlertConfig;
  /** Told about ingest beside the alert rules (the CLI's tallies and progress). */
  readonly listeners?: readonly IngestListener[];
  /** Where the supervision documents go; default: the data dir (its reports/), else the local S3. */
  readonly reports?: ReportStore;
  readonly supervisionConfig?: SupervisionConfig;
}

/** The configuration the local runtime composes its services from: the emulators' bucket and table, the outbox's topics. */
export function localConfig(leaseMs = 60_000): BishuiConfig {
  return { table: LOCAL_TABLE, bucket: LOCAL_BUCKET, topics: { alerts: localTopicArn('alerts'), operations: localTopicArn('operations') }, leaseMs, zone: DEFAULT_ZONE };
}

/** S3 URL-encodes keys in event notifications ('+' for a space); s3rver does not, so we do. */
export function encodeS3EventKey(key: string): string {
  return key.split('/').map((seg) => encodeURIComponent(seg).replace(/%20/g, '+')).join('/');
}

export class LocalPipeline {
  readonly handled: HandledObject[] = [];

  private constructor(
    readonly emulators: Emulators,
    readonly s3: S3Client,
    readonly dynamo: DynamoDBClient,
    readonly services: Services,
    readonly queue: InProcessQueue,
    /** The ingest queue's dead-letter queue, handled by the dead-letter function's handler. */
    readonly deadLetterQueue: InProcessQueue,
    readonly outboxPath: string,
  ) {}

  get doc(): DynamoDBDocumentClient { return this.services.doc; }
  get store() { return this.services.samples; }
  get ledger() { return this.services.ledger; }
  get registry(): SiteRegistry { return this.services.registry; }

  static async start(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const emulators = await startEmulators({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.s3Port !== undefined ? { s3Port: options.s3Port } : {}),
      ...(options.dynamoPort !== undefined ? { dynamoPort: options.dynamoPort } : {}),
    });
    const s3 = localS3Client(emulators.s3Endpoint);
    const dynamo = localDynamoClient(emulators.dynamoEndpoint, options.dynamoMaxAttempts);
    await ensureTable(dynamo);
    const outboxPath = options.outboxPath ?? join(options.dataDir ?? emulatorsTemp(), 'outbox.jsonl');
    const emit = options.onEvent ?? (() => {});
    const leaseMs = options.leaseMs ?? 60_000;
    const publisher = new FileOutboxPublisher(outboxPath, (notification) => emit({ type: 'notification', notification }));
    // Locally the documents go where a person opens them: <data dir>/reports/YYYY-MM/.
    const reports = options.reports ?? (options.dataDir ? new FileReportStore(options.dataDir) : undefined);
    const budgetMs = options.invocationBudgetMs ?? leaseMs;
    const handoffReserveMs = options.handoffReserveMs ?? Math.min(DEFAULT_HANDOFF_RESERVE_MS, Math.floor(budgetMs / 5));
    // The ingest function's own queue, for its continuations: the in-process queue, made below.
    let ingestQueue: InProcessQueue | undefined;
    const services = compose(
      { ...localConfig(leaseMs), handoffReserveMs },
      { dynamo, s3, publisher, ingestQueue: { send: async (body, delaySeconds) => { (ingestQueue as InProcessQueue).send(body, delaySeconds); } } },
      {
        writeOptions: { baseDelayMs: 5 },
        ...(options.log ? { log: options.log } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.registry ? { registry: options.registry } : {}),
        ...(options.alertConfig ? { alertConfig: options.alertConfig } : {}),
        ...(options.alerts === false ? { alerts: false } : {}),
        ...(options.listeners ? { listeners: options.listeners } : {}),
        ...(options.supervisionConfig ? { supervisionConfig: options.supervisionConfig } : {}),
        ...(reports ? { reports } : {}),
      },
    );
    const deps = options.wrapDeps ? options.wrapDeps(services.ingest, { dynamo, doc: services.doc }) : services.ingest;
    let pipeline: LocalPipeline | undefined;
    const handler = createIngestHandler(deps, (handled) => {
      pipeline?.handled.push(handled);
      emit({ type: 'handled', handled });
    });
    // As the stack sets them: six times the function's time, so a long file is not redelivered mid-run.
    const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 6 * leaseMs;
    const maxReceiveCount = options.maxReceiveCount ?? 3;
    // The dead-letter function's queue; in AWS a dead letter it cannot handle stays until retention, here it gives up as often.
    const deadLetterQueue = new InProcessQueue(createDeadLetterHandler(services.deadLetters), {
      visibilityTimeoutMs, maxReceiveCount, queueArn: 'arn:aws:sqs:local:000000000000:bishui-ingest-dead-letters',
    });
    // Each delivery is an invocation of the function, with its time: the context's remaining time counts down from the budget.
    const queue = new InProcessQueue((event: SQSEvent) => handler(event, invocationContext(budgetMs)), { visibilityTimeoutMs, maxReceiveCount }, (message) => {
      emit({ type: 'dead-letter', message });
      deadLetterQueue.send(message.body);
    });
    ingestQueue = queue;
    const nextSequencer = sequencerClock();
    emulators.s3rver.on('event', (event: { Records?: { eventName?: string; s3?: { object?: { key?: string; sequencer?: string } } }[] }) => {
      const records = (event.Records ?? []).filter((r) =>
        r.eventName?.startsWith('ObjectCreated:') && r.s3?.object?.key?.startsWith(INCOMING_PREFIX));
      if (records.length === 0) return;
      for (const r of records) {
        if (!r.s3?.object?.key) continue;
        r.s3.object.key = encodeS3EventKey(r.s3.object.key);
        r.s3.object.sequencer = nextSequencer();
      }
      queue.send(JSON.stringify({ Records: records }));
    });
    pipeline = new LocalPipeline(emulators, s3, dynamo, services, queue, deadLetterQueue, outboxPath);
    return pipeline;
  }

  /** Uploads bytes to the raw bucket; an `incoming/` key starts the pipeline, as in AWS. */
  async upload(key: string, body: Uint8Array | string): Promise<ObjectRef> {
    const res = await this.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: body }));
    return { bucket: LOCAL_BUCKET, key, ...(res.ETag ? { etag: res.ETag.replace(/"/g, '') } : {}) };
  }

  /** The scheduled watchdog's run, as the watchdog function does it: online stations silent at `now` (the outbox swept after). */
  async watchdog(now: number): Promise<StationStatus[]> {
    return (await this.services.watchdog(now)).stations;
  }

  /** Why the message for `key` went to the dead-letter queue (the handler's last error); undefined if it did not. */
  deadLetterReason(key: string): string | undefined {
    const dead = this.queue.deadLetters.some((m) => safeRefs(m.body).some((r) => r.key === key));
    if (!dead) return undefined;
    return [...this.handled].reverse().find((h) => h.ref.key === key && h.error)?.error ?? 'failed on every delivery';
  }


  /**
   * The monthly supervision run, as the supervision function does it: documents under reports/YYYY-MM/
   * and, unless `publish` is false, the month's message in the outbox. The renderer loads on first use.
   */
  async supervision(month: string, opts: { publish?: boolean } = {}): Promise<SupervisionRun> {
    const { runSupervision } = await import('../../shared/supervision/run-supervision.js');
    const { publisher, ...quiet } = this.services.supervision();
    return runSupervision(month, opts.publish === false ? quiet : { ...quiet, publisher });
  }

  /** Resolves when nothing is waiting or being handled, dead letters included (they only come from the ingest queue). */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.deadLetterQueue.idle();
  }

  async close(): Promise<void> {
    await this.queue.stop();
    await this.deadLetterQueue.stop();
    this.s3.destroy();
    this.dynamo.destroy();
    await this.emulators.close();
  }
}

/** What the handler uses of a Lambda context: the time left of a budget that starts now. */
export function invocationContext(budgetMs: number): InvocationContext {
  const end = Date.now() + budgetMs;
  return { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}

function emulatorsTemp(): string {
  const dir = join(process.env.TMPDIR ?? '/tmp', `bishui-outbox-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The objects an ingest-queue message names; none when it is not an S3 notification. */
function safeRefs(body: string): ObjectRef[] {
  try {
    const m = parseS3Message(body);
    return m.kind === 'objects' ? m.refs : [];
  } catch {
    return [];
  }
}

/**
 * The one wiring: from a typed configuration and the clients of the outside world, the stores,
 * the registry, the alert engine, the ingest dependencies and the watchdog. Every entry point —
 * the Lambda handlers, the local runtime, the CLI — builds its services here, so the wiring that
 * ships is the wiring the tests run.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BatchWriteOptions } from '../../shared/adapters/dynamo/batch-writer.js';
import { DynamoAlertStateStore } from '../../shared/adapters/dynamo/alert-state-store.js';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { DynamoOutboxStore } from '../../shared/adapters/dynamo/outbox-store.js';
import { DynamoSampleStore } from '../../shared/adapters/dynamo/sample-store.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { S3ReportStore } from '../../shared/adapters/s3-report-store.js';
import { silentLog } from '../../shared/adapters/silent-log.js';
import { type AlertConfig, DEFAULT_ALERT_CONFIG } from '../../shared/alerts/config.js';
import { AlertEngine } from '../../shared/alerts/engine.js';
import { AlertIngestListener } from '../../shared/alerts/ingest-listener.js';
import { deadLetterNotice } from '../../shared/alerts/ingest-notices.js';
import { Notifier, type SweepReport } from '../../shared/alerts/notifier.js';
import { type StationStatus, runWatchdog } from '../../shared/alerts/watchdog.js';
import { defaultRegistry, loadRegistry } from '../../shared/config/registry.js';
import { type SupervisionConfig, defaultSupervisionConfig, loadSupervisionConfig } from '../../shared/config/supervision.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import type { DeadLetterDeps } from '../../shared/ingest/dead-letter.js';
import type { IngestDeps } from '../../shared/ingest/ingest-object.js';
import { allOf } from '../../shared/ingest/listeners.js';
import type { IngestListener, IngestQueue, Log, Publisher, ReportStore } from '../../shared/ports/index.js';
import type { SupervisionRunDeps } from '../../shared/supervision/run-supervision.js';
import type { BishuiConfig } from './config.js';

/** The outside world's clients: AWS's in Lambda, the emulators' locally. */
export interface Clients {
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  /** SNS (or the local file outbox): reached only through the notifier's durable outbox. */
  readonly publisher: Publisher;
  /** The ingest queue (SQS, or the local in-process queue), for a file's continuations; none: a file is read in one invocation. */
  readonly ingestQueue?: IngestQueue;
}

export interface CompositionOptions {
  readonly log?: Log;
  readonly now?: () => number;
  /** Defaults to the config's registry file, else the bundled config/sites.json. */
  readonly registry?: SiteRegistry;
  readonly alertConfig?: AlertConfig;
  /** Alert rules on (default) or off. */
  readonly alerts?: boolean;
  /** Listeners told about ingest beside the alert rules (the CLI's tallies). */
  readonly listeners?: readonly IngestListener[];
  readonly writeOptions?: BatchWriteOptions;
  /** Where the supervision documents go; default: the raw bucket's reports/ (config.bucket). */
  readonly reports?: ReportStore;
  /** Default: the config's supervision file, else the bundled config/supervision.json. */
  readonly supervisionConfig?: SupervisionConfig;
}

export function compose(config: BishuiConfig, clients: Clients, options: CompositionOptions = {}) {
  const log = options.log ?? silentLog;
  const now = options.now ?? Date.now;
  const registry = options.registry ?? (config.sitesFile ? loadRegistry(config.sitesFile) : defaultRegistry());
  const alertConfig = options.alertConfig ?? DEFAULT_ALERT_CONFIG;
  const doc = documentClient(clients.dynamo);
  const samples = new DynamoSampleStore(doc, config.table, options.writeOptions);
  const ledger = new DynamoFileLedger(doc, config.table);
  const states = new DynamoAlertStateStore(doc, config.table);
  /**
   * Every notification goes out through this one durable path (shared/alerts/notifier.ts): alerts,
   * ingest notices, watchdog notices, dead letters. Call `notifier.notify(key, notifications)` —
   * never the publisher — with a key that names the work (a retry must not record it twice).
   */
  const notifier: Notifier = new Notifier({
    outbox: new DynamoOutboxStore(doc, config.table), publisher: clients.publisher, log, now,
    resolve: (page) => engine.resolvePage(page),
  });
  const engine = new AlertEngine({ states, notifier, registry, samples, config: alertConfig, zone: config.zone, log });
  const listeners = [
    ...(options.alerts === false ? [] : [new AlertIngestListener({ engine, notifier, registry, config: alertConfig, log })]),
    ...(options.listeners ?? []),
  ];
  const ingest: IngestDeps = {
    objects: new S3ObjectStore(clients.s3), samples, ledger, registry, log, now,
    leaseMs: config.leaseMs, zone: config.zone,
    ...(listeners.length > 0 ? { listener: allOf(...listeners) } : {}),
    ...(clients.ingestQueue ? { queue: clients.ingestQueue } : {}),
    ...(config.handoffReserveMs !== undefined ? { handoffReserveMs: config.handoffReserveMs } : {}),
  };
  /** Dead-lettered files: marked failed in the ledger, and operations told through the notifier (once per dead-lettering). */
  const deadLetters: DeadLetterDeps = {
    ledger, log, now,
    announce: (problem) => notifier.notify(`dead-letter:${problem.bucket}/${problem.key}#${problem.version ?? ''}#${problem.at ?? ''}`, [deadLetterNotice(problem)]),
  };
  /** The scheduled watchdog's run: online stations silent at `at`, then the outbox swept. */
  const watchdog = (at: number): Promise<{ stations: StationStatus[]; sweep: SweepReport }> =>
    runWatchdog({ registry, samples, engine, notifier, config: alertConfig }, at);
  /** The supervision message goes through the notifier too: recorded before the run returns, sent until SNS takes it. */
  const supervisionPublisher: Publisher = {
    publish: (n) => notifier.notify(`supervision:${n.attributes.month ?? ''}:${now()}`, [n]),
  };
  /**
   * What the monthly supervision run needs (shared/supervision/run-supervision.ts, which the caller
   * imports: the ingest and watchdog bundles stay free of its renderer). Settings are read when
   * asked for, so only the supervision run depends on them being valid.
   */
  const supervision = (): SupervisionRunDeps => {
    const reports = options.reports ?? (config.bucket ? new S3ReportStore(clients.s3, config.bucket) : undefined);
    if (!reports) throw new Error('supervision: no report store — set RAW_BUCKET (reports/ is written there) or pass one');
    return {
      store: samples, registry, alertConfig, zone: config.zone, now, log, reports, publisher: supervisionPublisher,
      config: options.supervisionConfig ?? (config.supervisionFile ? loadSupervisionConfig(config.supervisionFile) : defaultSupervisionConfig()),
    };
  };
  return { config, log, registry, alertConfig, doc, samples, ledger, states, notifier, engine, ingest, deadLetters, watchdog, supervision };
}

export type Services = ReturnType<typeof compose>;

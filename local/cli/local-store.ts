/**
 * How the local commands reach the data: through a running `bishui start` for the same data dir
 * (its runtime.json), or by starting the emulators on that dir themselves.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compose } from '../../functions/commons/composition-root.js';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { DynamoSampleStore } from '../../shared/adapters/dynamo/sample-store.js';
import { FileOutboxPublisher } from '../../shared/adapters/file-outbox-publisher.js';
import { FileReportStore } from '../../shared/adapters/file-report-store.js';
import type { SupervisionConfig } from '../../shared/config/supervision.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import type { LedgerEntry } from '../../shared/ports/index.js';
import type { SupervisionRun } from '../../shared/supervision/run-supervision.js';
import { LOCAL_TABLE, localDynamoClient, localS3Client } from '../runtime/emulators.js';
import { LocalPipeline, localConfig } from '../runtime/pipeline.js';
import { runningRuntime } from '../runtime/runtime-file.js';

export const DEFAULT_DATA_DIR = '.bishui';

export interface LocalData {
  readonly store: DynamoSampleStore;
  readonly ledger: DynamoFileLedger;
  /** Through a running `bishui start`, or emulators of our own on the data dir. */
  readonly via: 'running start' | 'data dir';
  close(): Promise<void>;
}

/** The local data, or undefined when the data dir holds none yet. */
export async function openLocalData(dataDir: string): Promise<LocalData | undefined> {
  const running = runningRuntime(dataDir);
  if (running) {
    const doc = documentClient(localDynamoClient(running.dynamoEndpoint));
    return { store: new DynamoSampleStore(doc, LOCAL_TABLE), ledger: new DynamoFileLedger(doc, LOCAL_TABLE), via: 'running start', close: async () => doc.destroy() };
  }
  if (!existsSync(join(dataDir, 'dynamodb'))) return undefined;
  const pipe = await LocalPipeline.start({ dataDir, s3Port: 0, dynamoPort: 0 });
  return { store: pipe.store, ledger: pipe.ledger, via: 'data dir', close: () => pipe.close() };
}

/** The local data; a command that needs it fails with one line when there is none. */
export async function storeFor(dataDir: string): Promise<LocalData> {
  const data = await openLocalData(dataDir);
  if (!data) throw new Error(`no local data in ${dataDir}/ yet: run npm start (or bishui ingest FILE) first`);
  return data;
}

/**
 * The monthly supervision run on the local data, as the supervision function runs it: documents
 * under <data dir>/reports/, the message into the outbox (the running start's, or the data dir's).
 */
export async function supervisionFor(
  dataDir: string, options: { registry: SiteRegistry; supervisionConfig: SupervisionConfig },
): Promise<{ run: (month: string) => Promise<SupervisionRun>; close: () => Promise<void> }> {
  const running = runningRuntime(dataDir);
  if (running) {
    const clients = { dynamo: localDynamoClient(running.dynamoEndpoint), s3: localS3Client(running.s3Endpoint), publisher: new FileOutboxPublisher(running.outboxPath) };
    const services = compose(localConfig(), clients, { ...options, alerts: false, reports: new FileReportStore(dataDir) });
    const { runSupervision } = await import('../../shared/supervision/run-supervision.js');
    return {
      run: (month) => runSupervision(month, services.supervision()),
      close: async () => { clients.dynamo.destroy(); clients.s3.destroy(); },
    };
  }
  if (!existsSync(join(dataDir, 'dynamodb'))) throw new Error(`no local data in ${dataDir}/ yet: run npm start (or bishui ingest FILE) first`);
  const pipe = await LocalPipeline.start({ dataDir, s3Port: 0, dynamoPort: 0, alerts: false, ...options });
  return { run: (month) => pipe.supervision(month), close: () => pipe.close() };
}

export async function waitForLedger(ledger: DynamoFileLedger, fileId: string, version: string, timeoutMs = 600_000): Promise<LedgerEntry> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = await ledger.get(fileId, version);
    if (e && e.status !== 'processing') return e;
    if (Date.now() > until) throw new Error(`${fileId} was not processed within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

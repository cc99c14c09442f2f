/**
 * Lambda entry point. Clients and configuration are built once per container (cold start); the
 * handler itself is the same one the local runtime runs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/repository.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { alertWiring } from '../commons/alert-wiring.js';
import { createIngestHandler } from './ingest-handler.js';

const { config, log, doc, registry, samples, publisher, engine: alerts } = alertWiring('bishui-ingest');

export const handler: (event: SQSEvent) => ReturnType<ReturnType<typeof createIngestHandler>> = createIngestHandler({
  objects: new S3ObjectStore(new S3Client({})),
  samples,
  ledger: new DynamoFileLedger(doc, config.TABLE_NAME),
  publisher,
  registry,
  onStored: (batch) => alerts.onStored(batch),
  afterFile: (parts) => alerts.afterFile(parts),
  log,
  now: Date.now,
  leaseMs: config.LEASE_SECONDS * 1000,
  zone: config.TIME_ZONE,
  rejectedShareToReport: config.REJECTED_SHARE_TO_REPORT,
});

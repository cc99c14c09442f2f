/**
 * Lambda entry point. Clients and configuration are built once per container (cold start); the
 * handler itself is the same one the local runtime runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { DynamoFileLedger, DynamoSampleStore, documentClient } from '../../shared/adapters/dynamo/repository.js';
import { DynamoAlertStateStore } from '../../shared/adapters/dynamo/alert-state-store.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { AlertEngine } from '../../shared/alerts/engine.js';
import { registryFromEnv } from '../../shared/config/registry.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';
import { createIngestHandler } from './ingest-handler.js';

const config = configFromEnv();

const log = powertoolsLog('bishui-ingest');
const doc = documentClient(new DynamoDBClient({}));
const registry = registryFromEnv();
const samples = new DynamoSampleStore(doc, config.TABLE_NAME);
const publisher = lazySnsPublisher({ alerts: config.ALERTS_TOPIC_ARN, operations: config.OPERATIONS_TOPIC_ARN });
const alerts = new AlertEngine({ states: new DynamoAlertStateStore(doc, config.TABLE_NAME), publisher, registry, samples, zone: config.TIME_ZONE, log });

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

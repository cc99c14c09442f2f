/**
 * Lambda entry point of the ingest function: configuration from the environment, the services from
 * the composition root, built once per container (cold start); the handler is the one the local
 * runtime runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SqsIngestQueue } from '../../shared/adapters/sqs-ingest-queue.js';
import { compose } from '../commons/composition-root.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';
import { createIngestHandler } from './ingest-handler.js';

const config = configFromEnv();
const services = compose(config, {
  dynamo: new DynamoDBClient({}), s3: new S3Client({}), publisher: lazySnsPublisher(config.topics),
  // A file the invocation has no time to finish goes on in a fresh one: a message to this function's own queue.
  ...(config.ingestQueueUrl ? { ingestQueue: new SqsIngestQueue(config.ingestQueueUrl) } : {}),
}, { log: powertoolsLog('bishui-ingest') });

export const handler = createIngestHandler(services.ingest);

/**
 * Lambda entry point of the dead-letter function, on the ingest queue's dead-letter queue: same
 * configuration and composition root as the ingest function; its work is in dead-letter-handler.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { compose } from '../commons/composition-root.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';
import { createDeadLetterHandler } from './dead-letter-handler.js';

const config = configFromEnv();
const services = compose(config, {
  dynamo: new DynamoDBClient({}), s3: new S3Client({}), publisher: lazySnsPublisher(config.topics),
}, { log: powertoolsLog('bishui-deadletter') });

export const handler = createDeadLetterHandler(services.deadLetters);

/**
 * What every bishui function builds once per container: configuration, logger, the table's client
 * and sample store, the registry, the (lazily loaded) SNS publisher and the alert engine over them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSampleStore, documentClient } from '../../shared/adapters/dynamo/repository.js';
import { DynamoAlertStateStore } from '../../shared/adapters/dynamo/alert-state-store.js';
import { AlertEngine } from '../../shared/alerts/engine.js';
import { registryFromEnv } from '../../shared/config/registry.js';
import { configFromEnv } from './config.js';
import { lazySnsPublisher } from './lazy-sns-publisher.js';
import { powertoolsLog } from './powertools-log.js';

export function alertWiring(service: string) {
  const config = configFromEnv();
  const log = powertoolsLog(service);
  const doc = documentClient(new DynamoDBClient({}));
  const registry = registryFromEnv();
  const samples = new DynamoSampleStore(doc, config.TABLE_NAME);
  const publisher = lazySnsPublisher({ alerts: config.ALERTS_TOPIC_ARN, operations: config.OPERATIONS_TOPIC_ARN });
  const engine = new AlertEngine({ states: new DynamoAlertStateStore(doc, config.TABLE_NAME), publisher, registry, samples, zone: config.TIME_ZONE, log });
  return { config, log, doc, registry, samples, publisher, engine };
}

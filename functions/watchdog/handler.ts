/**
 * The watchdog function, run on a schedule (hourly): announces online stations that are silent now.
 * Same configuration, table and topics as the ingest function; its work is in shared/alerts/watchdog.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSampleStore, documentClient } from '../../shared/adapters/dynamo/repository.js';
import { DynamoAlertStateStore } from '../../shared/adapters/dynamo/alert-state-store.js';
import { DEFAULT_ALERT_CONFIG } from '../../shared/alerts/config.js';
import { AlertEngine } from '../../shared/alerts/engine.js';
import { watchStations } from '../../shared/alerts/watchdog.js';
import { registryFromEnv } from '../../shared/config/registry.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';

const config = configFromEnv();
const log = powertoolsLog('bishui-watchdog');
const doc = documentClient(new DynamoDBClient({}));
const registry = registryFromEnv();
const samples = new DynamoSampleStore(doc, config.TABLE_NAME);
const publisher = lazySnsPublisher({ alerts: config.ALERTS_TOPIC_ARN, operations: config.OPERATIONS_TOPIC_ARN });
const engine = new AlertEngine({ states: new DynamoAlertStateStore(doc, config.TABLE_NAME), publisher, registry, samples, zone: config.TIME_ZONE, log });

/** EventBridge scheduled event; only its time matters, and the clock is the function's own. */
export async function handler(): Promise<{ stations: number; silent: string[] }> {
  const now = Date.now();
  const status = await watchStations({ registry, samples, engine }, now);
  const silent = status.filter((s) => s.latest !== undefined && now - s.latest > DEFAULT_ALERT_CONFIG.suspect.gapHours * 3_600_000).map((s) => s.site);
  log.info('stations checked', { stations: status.length, silent });
  return { stations: status.length, silent };
}

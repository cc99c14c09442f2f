/**
 * Lambda entry point of the watchdog, run on a schedule (hourly): announces online stations that are
 * silent now, then sends whatever the notification outbox still holds (a publish that failed
 * earlier). Same configuration and composition root as the ingest function; its work is in
 * shared/alerts/watchdog.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { compose } from '../commons/composition-root.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';

const config = configFromEnv();
const services = compose(config, {
  dynamo: new DynamoDBClient({}), s3: new S3Client({}), publisher: lazySnsPublisher(config.topics),
}, { log: powertoolsLog('bishui-watchdog') });

/** EventBridge scheduled event; only its time matters, and the clock is the function's own. */
export async function handler(): Promise<{ stations: number; silent: string[]; published: number }> {
  const { stations, sweep } = await services.watchdog(Date.now());
  const silent = stations.filter((s) => s.silent).map((s) => s.site);
  services.log.info('stations checked, outbox swept', { stations: stations.length, silent, sweep });
  if (sweep.failed) throw new Error('the outbox still holds notifications SNS did not accept; the next run retries them');
  return { stations: stations.length, silent, published: sweep.published };
}

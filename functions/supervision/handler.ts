/**
 * Lambda entry point of the monthly supervision run: on its schedule (the 2nd, 09:00 in the zone,
 * for the month before) or on demand with `{ "month": "2023-07" }`. Same configuration and
 * composition root as the other functions; the work is shared/supervision/run-supervision.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { runSupervision } from '../../shared/supervision/run-supervision.js';
import { compose } from '../commons/composition-root.js';
import { configFromEnv } from '../commons/config.js';
import { lazySnsPublisher } from '../commons/lazy-sns-publisher.js';
import { powertoolsLog } from '../commons/powertools-log.js';
import { monthOfEvent } from './event.js';

const config = configFromEnv();
const services = compose(config, {
  dynamo: new DynamoDBClient({}), s3: new S3Client({}), publisher: lazySnsPublisher(config.topics),
}, { log: powertoolsLog('bishui-supervision') });
// Settings and report store at cold start: a bad BISHUI_SUPERVISION file or a missing RAW_BUCKET fails the first invocation plainly.
const deps = services.supervision();

export interface SupervisionResult {
  readonly month: string;
  readonly files: { readonly html: string; readonly json: string; readonly letters: readonly string[] };
  readonly removed: readonly string[];
  readonly severity: string | null;
}

export async function handler(event: unknown): Promise<SupervisionResult> {
  const month = monthOfEvent(event, config.zone);
  const run = await runSupervision(month, deps);
  return { month, files: run.bulletin.files, removed: run.removed, severity: String(run.notification?.attributes.severity ?? '') || null };
}

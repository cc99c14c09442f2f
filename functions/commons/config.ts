/**
 * The typed configuration every entry point builds its services from: the Lambda functions read it
 * from their environment (as the stack sets it), the local runtime and the CLI pass their own.
 */
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';

export interface BishuiConfig {
  readonly table: string;
  readonly topics: { readonly alerts: string; readonly operations: string };
  /** The raw bucket (the supervision run writes its reports there). */
  readonly bucket?: string;
  /** How long a worker may hold a file: at least the function timeout. */
  readonly leaseMs: number;
  /** The zone naive local times are read in and local days are counted in. */
  readonly zone: string;
  /** Another site registry than the bundled config/sites.json. */
  readonly sitesFile?: string;
  /** Other supervision settings than the bundled config/supervision.json. */
  readonly supervisionFile?: string;
  /** The ingest queue's URL: where the ingest function sends the rest of a file it has no time to finish. */
  readonly ingestQueueUrl?: string;
  /** Time an ingest invocation keeps back at its end for handing a file on or finishing it. */
  readonly handoffReserveMs?: number;
}

const nonEmpty = z.string().check(z.minLength(1));

const env = z.object({
  TABLE_NAME: nonEmpty,
  ALERTS_TOPIC_ARN: nonEmpty,
  OPERATIONS_TOPIC_ARN: nonEmpty,
  RAW_BUCKET: z.optional(nonEmpty),
  /** ≥ the function timeout: a crashed worker's lease runs out before SQS shows the message again. */
  LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 900),
  TIME_ZONE: z._default(nonEmpty, DEFAULT_ZONE),
  BISHUI_SITES: z.optional(nonEmpty),
  BISHUI_SUPERVISION: z.optional(nonEmpty),
  /** The ingest function's own queue (continuations); without it a file is read in one invocation. */
  INGEST_QUEUE_URL: z.optional(z.url()),
  HANDOFF_RESERVE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.positive())),
});

export function configFromEnv(source: NodeJS.ProcessEnv = process.env): BishuiConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    throw new Error(`function configuration is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    table: e.TABLE_NAME,
    topics: { alerts: e.ALERTS_TOPIC_ARN, operations: e.OPERATIONS_TOPIC_ARN },
    leaseMs: e.LEASE_SECONDS * 1000,
    zone: e.TIME_ZONE,
    ...(e.RAW_BUCKET ? { bucket: e.RAW_BUCKET } : {}),
    ...(e.BISHUI_SITES ? { sitesFile: e.BISHUI_SITES } : {}),
    ...(e.BISHUI_SUPERVISION ? { supervisionFile: e.BISHUI_SUPERVISION } : {}),
    ...(e.INGEST_QUEUE_URL ? { ingestQueueUrl: e.INGEST_QUEUE_URL } : {}),
    ...(e.HANDOFF_RESERVE_SECONDS !== undefined ? { handoffReserveMs: e.HANDOFF_RESERVE_SECONDS * 1000 } : {}),
  };
}

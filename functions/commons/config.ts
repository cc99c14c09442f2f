/** The function's configuration, from its environment, validated once at cold start. */
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';

const nonEmpty = z.string().check(z.minLength(1));

const env = z.object({
  TABLE_NAME: nonEmpty,
  ALERTS_TOPIC_ARN: nonEmpty,
  OPERATIONS_TOPIC_ARN: nonEmpty,
  /** ≥ the function timeout: a crashed worker's lease runs out before SQS shows the message again. */
  LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 900),
  TIME_ZONE: z._default(z.string(), 'Asia/Shanghai'),
  BISHUI_SITES: z.optional(z.string()),
  REJECTED_SHARE_TO_REPORT: z._default(z.coerce.number().check(z.gte(0), z.lte(1)), 0.2),
});

export type FunctionConfig = z.infer<typeof env>;

export function configFromEnv(source: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    throw new Error(`function configuration is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The function's configuration, from its environment, validated once at cold start. */
import { z } from 'zod';

const env = z.object({
  TABLE_NAME: z.string().min(1),
  ALERTS_TOPIC_ARN: z.string().min(1),
  OPERATIONS_TOPIC_ARN: z.string().min(1),
  /** ≥ the function timeout: a crashed worker's lease runs out before SQS shows the message again. */
  LEASE_SECONDS: z.coerce.number().int().positive().default(900),
  TIME_ZONE: z.string().default('Asia/Shanghai'),
  BISHUI_SITES: z.string().optional(),
  REJECTED_SHARE_TO_REPORT: z.coerce.number().min(0).max(1).default(0.2),
});

export type FunctionConfig = z.infer<typeof env>;

export function configFromEnv(source: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    throw new Error(`function configuration is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

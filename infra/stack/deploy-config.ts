/** Deployment settings and subscribers, from config/, validated before anything is synthesized. */
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';
import deployJson from '../../config/deploy.json' with { type: 'json' };
import subscribersJson from '../../config/subscribers.json' with { type: 'json' };

const positiveInt = z.number().check(z.int(), z.positive());

const stageSchema = z.strictObject({
  retainData: z.boolean(),
  function: z.strictObject({
    memoryMiB: positiveInt,
    timeoutSeconds: z.number().check(z.int(), z.positive(), z.lte(900)),
    reservedConcurrency: positiveInt,
    logRetentionDays: positiveInt,
  }),
  queue: z.strictObject({ maxReceiveCount: positiveInt, batchSize: z.number().check(z.int(), z.positive(), z.lte(10)), oldestMessageAlarmSeconds: positiveInt }),
  bucket: z.strictObject({ noncurrentVersionDays: positiveInt, rawToInfrequentAccessDays: positiveInt, rawToGlacierDays: positiveInt }),
  alarms: z.strictObject({ smsMonthlySpendUsd: z.number().check(z.positive()) }),
});
export type StageConfig = z.infer<typeof stageSchema>;

const deploySchema = z.object({ $comment: z.optional(z.string()), stages: z.record(z.string(), stageSchema) });

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const KINDS = ['exceedance', 'recovery', 'fluctuation', 'suspect-data', 'ingest-failure', 'supervision'] as const;

const subscriberSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  topic: z.enum(['alerts', 'operations']),
  protocol: z.enum(['email', 'sms', 'https', 'email-json']),
  endpoint: z.string().check(z.minLength(3)),
  sites: z.optional(z.array(z.string())),
  towns: z.optional(z.array(z.string())),
  severities: z.optional(z.array(z.enum(SEVERITIES))),
  kinds: z.optional(z.array(z.enum(KINDS))),
});
export type Subscriber = z.infer<typeof subscriberSchema>;
const subscribersSchema = z.object({ $comment: z.optional(z.string()), subscribers: z.array(subscriberSchema) });

function parse<T>(schema: z.ZodMiniType<T>, input: unknown, source: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new Error(`${source} is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function stageConfig(stage: string, input: unknown = deployJson): StageConfig {
  const all = parse(deploySchema, input, 'config/deploy.json');
  const cfg = all.stages[stage];
  if (!cfg) throw new Error(`unknown stage '${stage}': config/deploy.json defines ${Object.keys(all.stages).join(', ')}`);
  return cfg;
}

export function subscribers(input: unknown = subscribersJson): Subscriber[] {
  return parse(subscribersSchema, input, 'config/subscribers.json').subscribers;
}

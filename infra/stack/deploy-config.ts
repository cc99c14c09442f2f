/**
 * Deployment settings (config/deploy.json) and subscribers, validated before anything is
 * synthesized. Subscribers' addresses and phone numbers are personal data: they live in
 * config/subscribers.json, which git ignores (config/subscribers.example.json shows its shape), or
 * in another file named with `-c subscribers=FILE`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';
import deployJson from '../../config/deploy.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '../..');
/** Where the subscribers are read from unless `-c subscribers=FILE` says otherwise (git-ignored). */
export const SUBSCRIBERS_FILE = 'config/subscribers.json';

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
  /** A label for the subscription's construct id: what the subscriber is, never an address or number. */
  id: z.string().check(
    z.regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'a label of letters, digits and dashes (such as sixinhe-chief), starting with a letter'),
    z.refine((v) => !/\d{5}/.test(v), 'a label, not a phone number: no five digits in a row'),
  ),
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
const subscribersSchema = z.object({
  $comment: z.optional(z.string()),
  subscribers: z.array(subscriberSchema).check(z.refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'every subscriber needs an id of its own')),
});

/** The deployment configuration is wrong: one line that says what to fix (no stack trace needed). */
export class ConfigError extends Error {}

function parse<T>(schema: z.ZodMiniType<T>, input: unknown, source: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new ConfigError(`${source} is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function stageConfig(stage: string, input: unknown = deployJson): StageConfig {
  const all = parse(deploySchema, input, 'config/deploy.json');
  const cfg = all.stages[stage];
  if (!cfg) throw new ConfigError(`unknown stage '${stage}': config/deploy.json defines ${Object.keys(all.stages).join(', ')} (pick one with -c stage=NAME)`);
  return cfg;
}

export function subscribers(input: unknown, source = SUBSCRIBERS_FILE): Subscriber[] {
  return parse(subscribersSchema, input, source).subscribers;
}

/** The subscribers in `file` (from the project root unless absolute); undefined when there is no such file. */
export function subscribersFrom(file = SUBSCRIBERS_FILE): Subscriber[] | undefined {
  const path = isAbsolute(file) ? file : join(ROOT, file);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return subscribers(json, file);
}

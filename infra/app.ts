/**
 * The CDK app: `npx cdk synth` (offline: no lookups, no credentials) and `npx cdk deploy`.
 * Stage from context: `-c stage=prod` (default dev); subscribers from config/subscribers.json
 * (git-ignored) or `-c subscribers=FILE`. cdk-nag's AwsSolutions pack checks everything.
 */
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, SUBSCRIBERS_FILE, stageConfig, subscribersFrom } from './stack/deploy-config.js';
import { BishuiStack } from './stack/bishui-stack.js';

/** Feature flags the stack relies on (also in cdk.json), set here too so tests' Apps get them. */
export const FEATURE_FLAGS: Record<string, boolean> = {
  // Grant S3 log delivery through the bucket policy, not ACLs, so every bucket can enforce ownership.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export function buildApp(app = new App()): { app: App; stack: BishuiStack } {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const subscribersFile = String(app.node.tryGetContext('subscribers') ?? SUBSCRIBERS_FILE);
  const subscribers = subscribersFrom(subscribersFile);
  const stack = new BishuiStack(app, `bishui-${stage}`, {
    stage, config: stageConfig(stage), subscribers: subscribers ?? [],
    description: `bishui (碧水) surface-water monitoring pipeline — ${stage}`,
    tags: { project: 'bishui', stage },
  });
  if (!subscribers) {
    Annotations.of(stack).addWarningV2('bishui:no-subscribers',
      `no ${subscribersFile}: the topics get no subscribers (copy config/subscribers.example.json and fill it in)`);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    buildApp().app.synth();
  } catch (err) {
    // A configuration mistake is one line for the person at the terminal; anything else is a bug, with its trace.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`bishui: ${err.message}\n`);
    process.exitCode = 1;
  }
}

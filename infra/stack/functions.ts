/**
 * A bishui function with its defaults in one place: its own log group (retention) and an empty role
 * of its own for the caller to grant, Node.js 22 on arm64, JSON logs, X-Ray, the shared bundling;
 * and the grants every function needs.
 */
import { join } from 'node:path';
import { type Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { FUNCTION_BUNDLE, LAZY_MODULE_BUNDLE, type LazyModule, lazyModuleFile } from './bundling.js';

const ROOT = join(import.meta.dirname, '../..');

export interface BishuiFunctionProps {
  /** Prefix of the construct ids (`<name>Logs`, `<name>Role`, `<name>Function`) and the service name. */
  readonly name: string;
  /** Handler source, from the project root. */
  readonly entry: string;
  /** What the function's own role is for. */
  readonly description: string;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly reservedConcurrency?: number;
  readonly logRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
  readonly environment: Record<string, string>;
  /** Modules the function loads on demand, each bundled on its own beside the handler (bundling.ts). */
  readonly lazyModules?: readonly LazyModule[];
}

export function bishuiFunction(scope: Construct, p: BishuiFunctionProps): { fn: NodejsFunction; role: iam.Role; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, `${p.name}Logs`, { retention: retentionDays(p.logRetentionDays), removalPolicy: p.removalPolicy });
  const role = new iam.Role(scope, `${p.name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: p.description });
  const fn = new NodejsFunction(scope, `${p.name}Function`, {
    entry: join(ROOT, p.entry),
    projectRoot: ROOT,
    depsLockFilePath: join(ROOT, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: p.memoryMiB,
    timeout: p.timeout,
    ...(p.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: p.reservedConcurrency } : {}),
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    tracing: lambda.Tracing.ACTIVE,
    environment: {
      ...p.environment,
      TIME_ZONE: DEFAULT_ZONE,
      POWERTOOLS_SERVICE_NAME: `bishui-${p.name.toLowerCase()}`,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      forceDockerBundling: false,
      minify: FUNCTION_BUNDLE.minify,
      sourceMap: FUNCTION_BUNDLE.sourcemap,
      target: FUNCTION_BUNDLE.target,
      format: OutputFormat.ESM,
      externalModules: [...FUNCTION_BUNDLE.external],
      banner: FUNCTION_BUNDLE.banner,
      ...(p.lazyModules?.length ? { commandHooks: lazyModuleHooks(p.lazyModules) } : {}),
    },
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 is the runtime bishui is built and tested for (bundle targets node22); move with a tested upgrade, not automatically.',
  });
  return { fn, role, logGroup };
}

/** After the handler is bundled, each lazy module is bundled beside it by the same esbuild. */
function lazyModuleHooks(modules: readonly LazyModule[]): ICommandHooks {
  const q = (s: string) => `"${s}"`;
  const b = LAZY_MODULE_BUNDLE;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => modules.map((m) => [
      q(join(inputDir, 'node_modules/.bin/esbuild')), q(join(inputDir, m.entry)), '--bundle', '--platform=node', `--format=${b.format}`,
      `--target=${b.target}`, ...(b.minify ? ['--minify'] : []), ...(b.sourcemap ? ['--sourcemap'] : []),
      ...b.external.map((e) => `--external:${q(e)}`), `--banner:js=${q(b.banner.replaceAll('"', '\\"'))}`,
      `--outfile=${q(join(outputDir, lazyModuleFile(m)))}`, '--log-level=warning',
    ].join(' ')),
  };
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  const fit = allowed.find((d) => d >= days);
  if (fit === undefined) throw new Error(`log retention of ${days} days is longer than CloudWatch allows`);
  return fit;
}

/** What every bishui function needs: the topics' key (to publish), its own logs, X-Ray. */
export function grantBasics(role: iam.Role, r: { key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'TopicKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [r.key.keyArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [r.logGroup.logGroupArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
  });
}

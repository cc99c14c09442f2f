/**
 * The synthesized template, offline: every resource and secure default the stack promises, for both
 * stages, and cdk-nag's AwsSolutions pack with nothing unacknowledged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { monthOfEvent } from '../../functions/supervision/event.js';
import { buildApp } from '../../infra/app.js';
import { handoffReserveSeconds } from '../../infra/stack/bishui-stack.js';
import { XLSX_ENGINE, lazyModuleFile } from '../../infra/stack/bundling.js';
import { stageConfig, subscribers, subscribersFrom } from '../../infra/stack/deploy-config.js';
import { subscribe } from '../../infra/stack/subscriptions.js';
import { zonedToInstant } from '../../shared/domain/time.js';

/** The shipped example stands in for the real, git-ignored subscribers file. */
const EXAMPLE_SUBSCRIBERS = 'config/subscribers.example.json';

interface Synth {
  template: Template;
  report: { pluginReports: { pluginName: string; violations: unknown[] }[] };
  /** rule id → reason, from the construct metadata Validations.acknowledge() writes */
  acknowledged: Record<string, string>;
  /** The cloud assembly's directory: the bundled assets are there. */
  outdir: string;
}

function synth(stage: string): Synth {
  const outdir = mkdtempSync(join(tmpdir(), `bishui-cdk-${stage}-`));
  const { app, stack } = buildApp(new App({ outdir, context: { stage, subscribers: EXAMPLE_SUBSCRIBERS } }));
  app.synth(); // throws if any validation plugin (cdk-nag) reports an unacknowledged violation
  const metadata = JSON.parse(readFileSync(join(outdir, `${stack.stackName}.metadata.json`), 'utf8')) as Record<string, { type: string; data: Record<string, string> }[]>;
  const acknowledged = Object.assign({}, ...Object.values(metadata).flat().filter((e) => e.type === 'aws:cdk:acknowledged-rules').map((e) => e.data));
  return { template: Template.fromStack(stack), report: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')), acknowledged, outdir };
}

const stages: Record<string, Synth> = {};
beforeAll(() => {
  stages.dev = synth('dev');
  stages.prod = synth('prod');
}, 120_000);

describe('cdk-nag is really checking', () => {
  it('an insecure bucket in a stack of its own fails synthesis with AwsSolutions findings', async () => {
    const { Stack, Validations } = await import('aws-cdk-lib');
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    const { AwsSolutionsChecks } = await import('cdk-nag');
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'bishui-cdk-bad-')) });
    new Bucket(new Stack(app, 'Insecure'), 'Open');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});

describe.each(['dev', 'prod'])('stack (%s)', (stage) => {
  const t = () => stages[stage]!.template;
  const cfg = stageConfig(stage);

  it('the ingest function ships the Excel engine beside its handler, not in it; the other functions do without', () => {
    const functions = Object.entries(t().findResources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Runtime === 'nodejs22.x')
      .map(([id, f]) => ({ id, asset: `asset.${String(f.Properties.Code.S3Key).replace(/\.zip$/, '')}` }))
      .map((f) => ({ ...f, files: readdirSync(join(stages[stage]!.outdir, f.asset)) }));
    expect(functions.map((f) => f.id.replace(/Function.*$/, '')).sort()).toEqual(['DeadLetter', 'Ingest', 'Supervision', 'Watchdog']);
    for (const f of functions) {
      expect(f.files.filter((n) => !n.endsWith('.map')).sort()).toEqual(f.id.startsWith('Ingest') ? ['index.mjs', lazyModuleFile(XLSX_ENGINE)] : ['index.mjs']);
    }
    // The handler leaves the import to the file beside it; exceljs's own code is in that file only.
    const asset = join(stages[stage]!.outdir, functions.find((f) => f.id.startsWith('Ingest'))!.asset);
    const handler = readFileSync(join(asset, 'index.mjs'), 'utf8');
    const engine = readFileSync(join(asset, lazyModuleFile(XLSX_ENGINE)), 'utf8');
    const exceljsOwn = 'Excel supports columns from 1 to 16384';
    expect(handler.includes(`import("${XLSX_ENGINE.specifier}")`)).toBe(true);
    expect([handler.includes(exceljsOwn), engine.includes(exceljsOwn)]).toEqual([false, true]);
  });

  it('raw bucket: versioned, public access blocked, encrypted, access-logged, lifecycle rules', () => {
    t().hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') }, LogFilePrefix: 'raw/' },
      LifecycleConfiguration: { Rules: Match.arrayWith([
        Match.objectLike({ Id: 'noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: cfg.bucket.noncurrentVersionDays } }),
        Match.objectLike({ Id: 'old-raw-files', Prefix: 'incoming/', Transitions: [
          { StorageClass: 'STANDARD_IA', TransitionInDays: cfg.bucket.rawToInfrequentAccessDays },
          { StorageClass: 'GLACIER', TransitionInDays: cfg.bucket.rawToGlacierDays },
        ] }),
      ]) },
    });
  });

  it('every bucket blocks public access, is encrypted and versioned, and refuses plain HTTP', () => {
    const buckets = t().findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const b of Object.values(buckets)) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties.BucketEncryption).toBeDefined();
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    const policies = Object.values(t().findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
        Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]));
    }
  });

  it('notifies the ingest queue of ObjectCreated under incoming/ only', () => {
    const notifications = Object.values(t().findResources('Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    const cfgN = notifications[0]!.Properties.NotificationConfiguration;
    expect(cfgN.QueueConfigurations).toEqual([{
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
      QueueArn: { 'Fn::GetAtt': [expect.stringMatching(/^IngestQueue/), 'Arn'] },
    }]);
    expect(cfgN.LambdaFunctionConfigurations).toBeUndefined();
    expect(cfgN.TopicConfigurations).toBeUndefined();
  });

  it('ingest queue: encrypted, TLS only, dead-letter queue after maxReceiveCount, visibility above the timeout', () => {
    t().hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: cfg.function.timeoutSeconds * 6,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestDeadLetterQueue'), 'Arn'] }, maxReceiveCount: cfg.queue.maxReceiveCount },
    });
    t().hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const q of Object.values(t().findResources('AWS::SQS::Queue'))) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    const queuePolicies = Object.values(t().findResources('AWS::SQS::QueuePolicy'));
    const denies = queuePolicies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s: { Effect: string; Condition?: unknown }) => s.Effect === 'Deny');
    expect(denies.length).toBeGreaterThanOrEqual(2);
    for (const d of denies) expect(d.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('ingest function: Node.js 22 on arm64, sized from config, JSON logs with retention, partial batch failures', () => {
    t().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler',
      MemorySize: cfg.function.memoryMiB, Timeout: cfg.function.timeoutSeconds,
      ReservedConcurrentExecutions: cfg.function.reservedConcurrency,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^IngestLogs') } }),
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({
        TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') }, LEASE_SECONDS: String(cfg.function.timeoutSeconds),
        // a file longer than an invocation goes on in the next: the rest is sent to the function's own queue
        INGEST_QUEUE_URL: { Ref: Match.stringLikeRegexp('^IngestQueue(?!.*DeadLetter)') },
        HANDOFF_RESERVE_SECONDS: String(handoffReserveSeconds(cfg.function.timeoutSeconds)),
        POWERTOOLS_SERVICE_NAME: 'bishui-ingest', NODE_OPTIONS: '--enable-source-maps',
        ALERTS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') }, OPERATIONS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^OperationsTopic') },
      }) },
    });
    t().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    for (const g of Object.values(t().findResources('AWS::Logs::LogGroup'))) expect(g.Properties.RetentionInDays).toBeGreaterThanOrEqual(cfg.function.logRetentionDays);
    t().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: cfg.queue.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestQueue'), 'Arn'] },
    });
  });

  it('watchdog: an hourly schedule runs a small Node.js 22 function over the same table and topics', () => {
    t().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', MemorySize: 256, Timeout: 60,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^WatchdogLogs') } }),
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({
        TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') }, POWERTOOLS_SERVICE_NAME: 'bishui-watchdog',
        OPERATIONS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^OperationsTopic') },
      }) },
    });
    t().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)', State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WatchdogFunction'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    t().hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WatchdogFunction'), 'Arn'] },
    });
    const role = Object.keys(t().findResources('AWS::IAM::Role')).find((id) => id.startsWith('WatchdogRole'))!;
    const statements = Object.values(t().findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Sid?: string }[]);
    const actions = statements.flatMap((x) => [x.Action].flat()).sort();
    expect(actions.filter((a) => /^(dynamodb|sns|s3|sqs):/.test(a))).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'sns:Publish']);
    // the outbox sweep sends what either topic's notifications SNS refused earlier
    expect(statements.find((x) => x.Sid === 'Publish')!.Resource).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }, { Ref: expect.stringMatching(/^OperationsTopic/) }]);
  });

  const supervisionRole = () => Object.entries(t().findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('SupervisionRole'))!;
  const statementsOf = (roleId: string) => Object.values(t().findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  const getAtt = (prefix: string, attr = 'Arn') => ({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${prefix}`)), attr] });

  it('supervision: a Node.js 22 function sized for the renderer, one run at a time, the raw bucket in its environment, JSON logs with retention, retried twice when a run fails', () => {
    t().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', MemorySize: 1024, Timeout: 120, ReservedConcurrentExecutions: 1,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^SupervisionLogs') } }),
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({
        TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') }, RAW_BUCKET: { Ref: Match.stringLikeRegexp('^RawBucket') },
        ALERTS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') }, TIME_ZONE: 'Asia/Shanghai', POWERTOOLS_SERVICE_NAME: 'bishui-supervision',
      }) },
    });
    const logs = Object.entries(t().findResources('AWS::Logs::LogGroup'));
    const retention = (prefix: string) => logs.find(([id]) => id.startsWith(prefix))![1].Properties.RetentionInDays as number;
    expect(retention('SupervisionLogs')).toBe(retention('IngestLogs'));
    expect(retention('SupervisionLogs')).toBeGreaterThanOrEqual(cfg.function.logRetentionDays);
    t().hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^SupervisionFunction') }, Qualifier: '$LATEST', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600,
    });
    t().resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    t().hasOutput('SupervisionFunctionName', { Value: { Ref: Match.stringLikeRegexp('^SupervisionFunction') }, Description: Match.stringLikeRegexp('"month":"YYYY-MM"') });
  });

  it('supervision schedule: EventBridge Scheduler, the 2nd of each month at 09:00 Asia/Shanghai, the scheduled time as input, delivery retries, a role of its own', () => {
    const schedules = Object.values(t().findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    const p = schedules[0]!.Properties;
    expect(p).toMatchObject({ ScheduleExpression: 'cron(0 9 2 * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai', State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(p.Target).toEqual({
      Arn: getAtt('SupervisionFunction'), RoleArn: getAtt('SupervisionScheduleRole'),
      Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
    });
    // Read together with the handler: the August run, at 09:00 on the 2nd in the template's zone, reports July.
    const [minute, hour, day] = /^cron\((\d+) (\d+) (\d+) \* \? \*\)$/.exec(p.ScheduleExpression as string)!.slice(1).map(Number) as [number, number, number];
    const fired = new Date(zonedToInstant(2023, 8, day, hour, minute, 0, 0, p.ScheduleExpressionTimezone as string)).toISOString();
    expect(fired).toBe('2023-08-02T01:00:00.000Z');
    expect(monthOfEvent({ scheduledTime: fired }, 'Asia/Shanghai')).toBe('2023-07');

    const role = Object.entries(t().findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('SupervisionScheduleRole'))!;
    expect(role[1].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }]);
    expect(statementsOf(role[0])).toEqual([{
      Action: 'lambda:InvokeFunction', Effect: 'Allow',
      Resource: [getAtt('SupervisionFunction'), { 'Fn::Join': ['', [getAtt('SupervisionFunction'), ':*']] }],
    }]);
    // no EventBridge rule runs it besides (the watchdog's hourly rule is the only rule)
    expect(Object.values(t().findResources('AWS::Events::Rule')).map((r) => r.Properties.ScheduleExpression)).toEqual(['rate(1 hour)']);
  });

  it('supervision role, exactly: query the table, its message through the outbox, put and delete reports/*, list reports/ only, publish to alerts only, the topic key, its own logs, tracing', () => {
    const [roleId, role] = supervisionRole();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
    const xray = { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' };
    expect(statementsOf(roleId)).toEqual([
      xray, // added by the function's active tracing
      { Sid: 'ReadTable', Action: 'dynamodb:Query', Effect: 'Allow', Resource: getAtt('Table') },
      { Sid: 'Outbox', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], Effect: 'Allow', Resource: getAtt('Table') }, // the durable notifier's pages, on the table (no index)
      { Sid: 'WriteReports', Action: ['s3:PutObject', 's3:DeleteObject'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [getAtt('RawBucket'), '/reports/*']] } },
      { Sid: 'ListReports', Action: 's3:ListBucket', Effect: 'Allow', Resource: getAtt('RawBucket'), Condition: { StringLike: { 's3:prefix': ['reports/*'] } } },
      { Sid: 'Publish', Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^AlertsTopic/) } },
      { Sid: 'TopicKey', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: getAtt('TopicKey') },
      { Sid: 'OwnLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: getAtt('SupervisionLogs') },
      { Sid: 'Tracing', ...xray },
    ]);
  });

  it('supervision errors alarm: any error in an hour, into operations', () => {
    const alarm = Object.entries(t().findResources('AWS::CloudWatch::Alarm')).find(([id]) => id.startsWith('SupervisionErrors'))![1].Properties;
    expect(alarm).toMatchObject({
      MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 3600, Threshold: 0, EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^SupervisionFunction/) } }],
      AlarmActions: [{ Ref: expect.stringMatching(/^OperationsTopic/) }],
    });
  });

  it('table: on demand, point-in-time recovery, encrypted, the file index, no TTL; kept in prod', () => {
    t().hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: Match.absent(),
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1', KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }] })],
        ...(stage === 'prod' ? { DeletionProtectionEnabled: true } : {}),
      }),
      DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
      UpdateReplacePolicy: stage === 'prod' ? 'Retain' : 'Delete',
    });
    const policies = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']
      .flatMap((type) => Object.values(t().findResources(type)).map((r) => r.DeletionPolicy));
    expect(new Set(policies)).toEqual(new Set([stage === 'prod' ? 'Retain' : 'Delete']));
  });

  it('topics alerts and operations are KMS-encrypted with a rotating key, TLS only', () => {
    const topics = Object.values(t().findResources('AWS::SNS::Topic'));
    expect(topics.map((x) => x.Properties.TopicName).sort()).toEqual([`bishui-${stage}-alerts`, `bishui-${stage}-operations`]);
    for (const x of topics) expect(x.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TopicKey/), 'Arn'] });
    t().hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t().hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });

  it('subscriptions and filter policies come from config/subscribers.json', () => {
    const subsCfg = subscribersFrom(EXAMPLE_SUBSCRIBERS)!;
    const subsT = Object.values(t().findResources('AWS::SNS::Subscription'));
    expect(subsT).toHaveLength(subsCfg.length);
    t().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms', Endpoint: '+8613800000001', TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
      FilterPolicy: { site: ['sixinhe'], severity: ['critical'] },
    });
    t().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email', Endpoint: 'platform-ops@example.gov.cn', TopicArn: { Ref: Match.stringLikeRegexp('^OperationsTopic') },
      FilterPolicy: Match.absent(),
    });
  });

  it('alarms into operations: unhandled dead letters, errors (every function), throttles, oldest message, SMS spend; and a dashboard', () => {
    const alarms = Object.values(t().findResources('AWS::CloudWatch::Alarm'));
    const errors = alarms.filter((a) => a.Properties.MetricName === 'Errors').map((a) => a.Properties.Dimensions[0].Value.Ref as string).sort();
    expect(errors).toEqual([expect.stringMatching(/^DeadLetterFunction/), expect.stringMatching(/^IngestFunction/), expect.stringMatching(/^SupervisionFunction/), expect.stringMatching(/^WatchdogFunction/)]);
    const byMetric = Object.fromEntries(alarms.map((a) => [a.Properties.MetricName, a.Properties]));
    expect(Object.keys(byMetric).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'Errors', 'SMSMonthToDateSpentUSD', 'Throttles']);
    expect(byMetric.SMSMonthToDateSpentUSD.Threshold).toBe(cfg.alarms.smsMonthlySpendUsd);
    const age = alarms.filter((a) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage')
      .map((a) => [a.Properties.Dimensions[0].Value['Fn::GetAtt'][0] as string, a.Properties.Threshold]).sort();
    expect(age).toEqual([[expect.stringMatching(/^IngestDeadLetterQueue/), 15 * 60], [expect.stringMatching(/^IngestQueue/), cfg.queue.oldestMessageAlarmSeconds]]);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OperationsTopic/) }]);
      expect(a.Properties.AlarmName).toMatch(new RegExp(`^bishui-${stage}-`)); // the prefix the topic and key policies let publish
    }
    t().resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('dead letters: a small function on the dead-letter queue marks the ledger and tells operations, with least privilege', () => {
    t().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', MemorySize: 256, Timeout: 30,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^DeadLetterLogs') } }),
      Environment: { Variables: Match.objectLike({
        TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') }, POWERTOOLS_SERVICE_NAME: 'bishui-deadletter',
        OPERATIONS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^OperationsTopic') },
      }) },
    });
    t().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^DeadLetterFunction') }, FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestDeadLetterQueue'), 'Arn'] },
    });
    // Lambda refuses an event source whose visibility timeout is shorter than the function's.
    t().hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, VisibilityTimeout: 6 * 30 });
    const role = Object.keys(t().findResources('AWS::IAM::Role')).find((id) => id.startsWith('DeadLetterRole'))!;
    const statements = Object.values(t().findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Sid?: string }[]);
    const actions = statements.flatMap((x) => [x.Action].flat()).sort();
    expect(actions.filter((a) => /^(dynamodb|sns|s3):/.test(a))).toEqual([
      'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:UpdateItem', 'sns:Publish',
    ]);
    expect(statements.find((x) => x.Sid === 'Ledger')!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] });
    // its notice goes through the durable notifier's outbox pages: the table, never the index
    expect(statements.find((x) => x.Sid === 'Outbox')!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] });
    expect(statements.find((x) => x.Sid === 'Publish')!.Resource).toEqual({ Ref: expect.stringMatching(/^OperationsTopic/) });
    const sqs = statements.filter((x) => [x.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs.map((x) => x.Resource)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^IngestDeadLetterQueue/), 'Arn'] }]);
  });

  it("the stack's alarms may publish to operations and use the topic key — only they, by account and alarm name", () => {
    const alarmArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:alarm:bishui-${stage}-*`]] };
    const conditions = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': alarmArn } };
    const policies = Object.values(t().findResources('AWS::SNS::TopicPolicy'));
    const opsPolicy = policies.find((p) => JSON.stringify(p.Properties.Topics).includes('OperationsTopic'))!;
    const allows = (opsPolicy.Properties.PolicyDocument.Statement as { Effect: string }[]).filter((x) => x.Effect === 'Allow');
    expect(allows).toEqual([expect.objectContaining({
      Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^OperationsTopic/) }, Condition: conditions,
    })]);
    const alertsPolicy = policies.find((p) => JSON.stringify(p.Properties.Topics).includes('AlertsTopic'))!;
    expect((alertsPolicy.Properties.PolicyDocument.Statement as { Effect: string }[]).map((x) => x.Effect)).toEqual(['Deny']);
    const key = Object.values(t().findResources('AWS::KMS::Key'))[0]!;
    const cloudwatch = (key.Properties.KeyPolicy.Statement as { Principal?: { Service?: string } }[]).filter((x) => x.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toEqual([expect.objectContaining({ Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Condition: conditions })]);
  });

  it('subscribers: no address or phone number in any logical id; the real file is git-ignored', () => {
    const ids = Object.keys(t().toJSON().Resources as object);
    const endpoints = subscribersFrom(EXAMPLE_SUBSCRIBERS)!.map((x) => x.endpoint);
    for (const e of endpoints) {
      const alnum = e.replace(/[^A-Za-z0-9]/g, '');
      for (const id of ids) expect(id).not.toContain(alnum);
      for (const digits of e.match(/\d{5,}/g) ?? []) for (const id of ids) expect(id).not.toContain(digits);
    }
    const subscriptionIds = Object.keys(t().findResources('AWS::SNS::Subscription')).sort();
    expect(subscriptionIds).toEqual(['Subscriberdutymail', 'Subscriberplatformops', 'Subscribersixinheriverchief', 'Subscriberstpoperator'].map((p) => expect.stringMatching(new RegExp(`^${p}`))));
    expect(execFileSync('git', ['check-ignore', 'config/subscribers.json'], { encoding: 'utf8' }).trim()).toBe('config/subscribers.json');
    expect(execFileSync('git', ['ls-files', 'config/'], { encoding: 'utf8' }).split('\n')).not.toContain('config/subscribers.json');
  });

  it('least privilege: the function reads incoming/, writes quarantine/, and nothing wider', () => {
    const role = Object.entries(t().findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('IngestRole'))!;
    expect(role[1].Properties.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(t().findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role[0]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Sid?: string }[]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:*');
    expect(actions).not.toContain('dynamodb:*');
    expect(actions.some((a) => /Delete/.test(a) && a.startsWith('s3:'))).toBe(false);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']));
    const read = statements.find((s) => s.Sid === 'ReadUploads')!;
    expect(JSON.stringify(read.Resource)).toMatch(/\/incoming\/\*/);
    const write = statements.find((s) => s.Sid === 'WriteQuarantine')!;
    expect(write.Action).toBe('s3:PutObject');
    expect(JSON.stringify(write.Resource)).toMatch(/\/quarantine\/\*/);
    const sqsActions = actions.filter((a) => a.startsWith('sqs:')).sort();
    expect(sqsActions).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage']);
    // It sends to its own queue only (continuations; messages put back), never to the dead-letter queue or elsewhere.
    const send = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(send).toEqual([expect.objectContaining({ Sid: 'ContinueOnOwnQueue', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestQueue(?!.*DeadLetter)/), 'Arn'] } })]);
    // The queue's key is SQS's own: sending needs no KMS grant beyond the topics' key.
    expect(statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:'))).map((s) => s.Sid)).toEqual(['TopicKey']);
  });

  it('a long file proceeds invocation by invocation: a lease handed on at the end of a run (at most two timeouts after the run took it) has run out before the queue shows the run\'s message again; the reserve is a fifth of the timeout within 5–60 s', () => {
    const queue = Object.values(t().findResources('AWS::SQS::Queue')).find((q) => q.Properties.RedrivePolicy)!;
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(2 * cfg.function.timeoutSeconds);
    expect([handoffReserveSeconds(60), handoffReserveSeconds(300), handoffReserveSeconds(900), handoffReserveSeconds(10)]).toEqual([12, 60, 60, 5]);
  });

  it("cdk-nag's AwsSolutions pack reports nothing unacknowledged, and every acknowledgement says why", () => {
    for (const r of stages[stage]!.report.pluginReports) expect(r.violations).toEqual([]);
    const acks = stages[stage]!.acknowledged;
    expect(Object.keys(acks).sort()).toEqual([
      'Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::\*\]$/),
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<RawBucket.*\.Arn>\/incoming\/\*\]$/),
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<RawBucket.*\.Arn>\/quarantine\/\*\]$/),
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<RawBucket.*\.Arn>\/reports\/\*\]$/),
      expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<SupervisionFunction.*\.Arn>:\*\]$/),
      'Annotation::AwsSolutions-L1', 'Annotation::AwsSolutions-S1', 'Annotation::AwsSolutions-SQS3',
    ]);
    for (const reason of Object.values(acks)) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('subscribers file', () => {
  it('absent: the stack has no subscriptions and says so', () => {
    const { stack } = buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), 'bishui-cdk-nosubs-')), context: { stage: 'dev', subscribers: 'config/none-here.json' } }));
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Subscription', 0);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no config/none-here.json'));
    expect(warnings).toHaveLength(1);
  });

  it('a subscriber id must be a label, never an address or a phone number, and one of its own', () => {
    const one = { id: 'duty-mail', name: '值班', topic: 'alerts', protocol: 'email', endpoint: 'duty@example.gov.cn' };
    expect(subscribers({ subscribers: [one] })).toHaveLength(1);
    expect(() => subscribers({ subscribers: [{ ...one, id: 'duty@example.gov.cn' }] })).toThrow(/id/);
    expect(() => subscribers({ subscribers: [{ ...one, id: 'p13800000001' }] })).toThrow(/phone number/);
    expect(() => subscribers({ subscribers: [{ ...one, id: undefined }] })).toThrow(/id/);
    expect(() => subscribers({ subscribers: [one, { ...one, endpoint: 'other@example.gov.cn' }] })).toThrow(/id of its own/);
  });
});

describe('subscribers and the supervision message', () => {
  it('a subscriber may filter on kind supervision (the monthly message carries site and town "all")', () => {
    const [sub] = subscribers({ subscribers: [{ id: 'committee-office', name: 'committee', topic: 'alerts', protocol: 'email', endpoint: 'office@example.gov.cn', kinds: ['supervision'] }] });
    const stack = new Stack();
    const topic = new Topic(stack, 'T');
    subscribe(stack, topic, sub!);
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', FilterPolicy: { kind: ['supervision'] } });
    expect(() => subscribers({ subscribers: [{ id: 'x', name: 'x', topic: 'alerts', protocol: 'email', endpoint: 'a@b.c', kinds: ['monthly'] }] })).toThrow(/kinds/);
  });
});

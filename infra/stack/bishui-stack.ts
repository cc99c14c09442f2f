/**
 * The production stack: raw bucket → (incoming/ only) → ingest queue (+ DLQ) → ingest function →
 * DynamoDB table; an hourly watchdog for silent stations; SNS topics for alerts and operations;
 * alarms and a dashboard. Secure defaults live in secure-defaults.ts and bishuiFunction(); every one
 * of them is asserted in test/infra.
 */
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { FILE_INDEX, TABLE_KEYS } from '../../shared/adapters/dynamo/table-design.js';
import type { StageConfig, Subscriber } from './deploy-config.js';
import { encryptedQueue, secureBucket, topicKey } from './secure-defaults.js';

export const INCOMING_PREFIX = 'incoming/';
export const QUARANTINE_PREFIX = 'quarantine/';
const ROOT = join(import.meta.dirname, '../..');

/** How every bishui function is bundled: local esbuild (no Docker engine), minified ESM for Node.js 22. */
const BUNDLING = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  target: 'node22',
  format: OutputFormat.ESM,
  externalModules: ['@aws-sdk/*'], // in the Node.js 22 runtime already
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
};

export interface BishuiStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
  readonly subscribers: readonly Subscriber[];
}

export class BishuiStack extends Stack {
  readonly rawBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly ingestFunction: NodejsFunction;
  readonly watchdogFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: BishuiStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // --- storage -------------------------------------------------------------------------
    const accessLogs = secureBucket(this, 'AccessLogs', { removalPolicy, accessLogBucket: true });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log bucket itself; logging it into itself would loop.',
    });
    this.rawBucket = secureBucket(this, 'RawBucket', {
      removalPolicy, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'raw/',
      lifecycleRules: [
        { id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(config.bucket.noncurrentVersionDays) },
        {
          id: 'old-raw-files', prefix: INCOMING_PREFIX,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(config.bucket.rawToInfrequentAccessDays) },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(config.bucket.rawToGlacierDays) },
          ],
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: config.retainData,
      removalPolicy,
      // No TTL: nothing in the design expires (samples and the ledger are the bureau's record).
    });
    this.table.addGlobalSecondaryIndex({
      indexName: FILE_INDEX.name,
      partitionKey: { name: FILE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: FILE_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // --- messaging -----------------------------------------------------------------------
    const key = topicKey(this, 'TopicKey', removalPolicy);
    const alerts = new sns.Topic(this, 'AlertsTopic', { topicName: `bishui-${stage}-alerts`, displayName: '碧水 水质告警', masterKey: key, enforceSSL: true });
    const operations = new sns.Topic(this, 'OperationsTopic', { topicName: `bishui-${stage}-operations`, displayName: '碧水 运维', masterKey: key, enforceSSL: true });
    const topics = { alerts, operations };
    for (const s of props.subscribers) topics[s.topic].addSubscription(subscriptionFor(s));

    const dlq = encryptedQueue(this, 'IngestDeadLetterQueue', { retentionPeriod: Duration.days(14) });
    Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the ingest queue.' });
    const queue = encryptedQueue(this, 'IngestQueue', {
      // Above the function timeout (AWS advises six times), so a message is not redelivered mid-run.
      visibilityTimeout: Duration.seconds(config.function.timeoutSeconds * 6),
      deadLetterQueue: { queue: dlq, maxReceiveCount: config.queue.maxReceiveCount },
    });
    // Only uploads under incoming/ notify: quarantine/ and anything bishui writes never trigger it.
    this.rawBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(queue), { prefix: INCOMING_PREFIX });
    // CDK configures bucket notifications through its own singleton handler function.
    const notificationsHandler = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's own BucketNotificationsHandler (sets the bucket's notification configuration at deploy time) uses the basic execution role for its logs; it is not bishui code and not configurable.",
      });
    }

    // --- functions -----------------------------------------------------------------------
    const fn = (name: string, p: Omit<BishuiFunctionProps, 'name' | 'environment' | 'logRetentionDays' | 'removalPolicy'> & { environment?: Record<string, string> }) =>
      bishuiFunction(this, {
        ...p, name, logRetentionDays: config.function.logRetentionDays, removalPolicy,
        environment: { TABLE_NAME: this.table.tableName, ALERTS_TOPIC_ARN: alerts.topicArn, OPERATIONS_TOPIC_ARN: operations.topicArn, ...p.environment },
      });
    const ingest = fn('Ingest', {
      entry: 'functions/ingest/handler.ts',
      description: 'bishui ingest: read incoming/, write quarantine/, the table, the topics, its own logs',
      memoryMiB: config.function.memoryMiB,
      timeout: Duration.seconds(config.function.timeoutSeconds),
      reservedConcurrency: config.function.reservedConcurrency,
      environment: { LEASE_SECONDS: String(config.function.timeoutSeconds) },
    });
    this.ingestFunction = ingest.fn;
    this.ingestFunction.addEventSource(new SqsEventSource(queue, {
      batchSize: config.queue.batchSize, reportBatchItemFailures: true,
    }));
    grantLeastPrivilege(ingest.role, { bucket: this.rawBucket, table: this.table, topics: [alerts, operations], key, logGroup: ingest.logGroup });

    // The watchdog: online stations silent now (the ingest rules see a gap only when data resumes).
    const watchdog = fn('Watchdog', {
      entry: 'functions/watchdog/handler.ts',
      description: 'bishui watchdog: read latest samples and alert state, write alert state, publish to operations, its own logs',
      memoryMiB: 256,
      timeout: Duration.minutes(1),
    });
    this.watchdogFunction = watchdog.fn;
    new events.Rule(this, 'WatchdogSchedule', {
      description: 'bishui: hourly check for online monitoring stations that have gone silent',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.watchdogFunction, { retryAttempts: 2 })],
    });
    grantWatchdog(watchdog.role, { table: this.table, operations, key, logGroup: watchdog.logGroup });

    // --- alarms and dashboard ---------------------------------------------------------------
    const toOps = new SnsAction(operations);
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric, threshold, evaluationPeriods: 1, alarmDescription: description,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(toOps);
      return a;
    };
    const fiveMin = { period: Duration.minutes(5) };
    const alarms = [
      alarm('DeadLetterQueueNotEmpty', dlq.metricApproximateNumberOfMessagesVisible({ ...fiveMin, statistic: 'Maximum' }), 0,
        '死信队列有消息：有监测文件多次处理失败 (dead-letter queue not empty)'),
      alarm('IngestErrors', this.ingestFunction.metricErrors({ ...fiveMin, statistic: 'Sum' }), 0, '入库函数出错 (ingest function errors)'),
      alarm('IngestThrottles', this.ingestFunction.metricThrottles({ ...fiveMin, statistic: 'Sum' }), 0, '入库函数被限流 (ingest function throttled)'),
      alarm('WatchdogErrors', this.watchdogFunction.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }), 0, '断流巡检函数出错 (watchdog function errors)'),
      alarm('OldestMessageAge', queue.metricApproximateAgeOfOldestMessage({ ...fiveMin, statistic: 'Maximum' }), config.queue.oldestMessageAlarmSeconds,
        '入库队列积压 (oldest message too old)'),
      alarm('SmsSpend', new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: Duration.hours(6), statistic: 'Maximum' }),
        config.alarms.smsMonthlySpendUsd, '短信费用超出预算 (SMS month-to-date spend)'),
    ];

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `bishui-${stage}` });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Ingest queue', left: [queue.metricApproximateNumberOfMessagesVisible(), queue.metricNumberOfMessagesReceived()], right: [queue.metricApproximateAgeOfOldestMessage()] }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue', left: [dlq.metricApproximateNumberOfMessagesVisible()] }),
      new cloudwatch.GraphWidget({ title: 'Ingest function', left: [this.ingestFunction.metricInvocations(), this.ingestFunction.metricErrors(), this.ingestFunction.metricThrottles()], right: [this.ingestFunction.metricDuration()] }),
      new cloudwatch.GraphWidget({ title: 'Watchdog function', left: [this.watchdogFunction.metricInvocations(), this.watchdogFunction.metricErrors()] }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB', left: [this.table.metricConsumedWriteCapacityUnits(), this.table.metricConsumedReadCapacityUnits()] }),
      new cloudwatch.GraphWidget({ title: 'Notifications', left: [alerts.metricNumberOfMessagesPublished(), operations.metricNumberOfMessagesPublished(), alerts.metricSMSSuccessRate()] }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms }),
    );

    new CfnOutput(this, 'RawBucketName', { value: this.rawBucket.bucketName, description: `upload monitoring files under s3://…/${INCOMING_PREFIX}` });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topicArn });
    new CfnOutput(this, 'OperationsTopicArn', { value: operations.topicArn });
  }
}

interface BishuiFunctionProps {
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
}

/**
 * A bishui function with its defaults in one place: its own log group (retention) and an empty role
 * of its own for the caller to grant, Node.js 22 on arm64, JSON logs, X-Ray, the shared bundling.
 */
function bishuiFunction(scope: Construct, p: BishuiFunctionProps): { fn: NodejsFunction; role: iam.Role; logGroup: logs.LogGroup } {
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
      TIME_ZONE: 'Asia/Shanghai',
      POWERTOOLS_SERVICE_NAME: `bishui-${p.name.toLowerCase()}`,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: BUNDLING,
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 is the runtime bishui is built and tested for (bundle targets node22); move with a tested upgrade, not automatically.',
  });
  return { fn, role, logGroup };
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  const fit = allowed.find((d) => d >= days);
  if (fit === undefined) throw new Error(`log retention of ${days} days is longer than CloudWatch allows`);
  return fit;
}

/** A subscriber from config/subscribers.json, with a filter policy on the message attributes. */
export function subscriptionFor(s: Subscriber): sns.ITopicSubscription {
  const filterPolicy: Record<string, sns.SubscriptionFilter> = {};
  const allow = (name: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) filterPolicy[name] = sns.SubscriptionFilter.stringFilter({ allowlist: [...values] });
  };
  allow('site', s.sites);
  allow('town', s.towns);
  allow('severity', s.severities);
  allow('kind', s.kinds);
  const opts = Object.keys(filterPolicy).length > 0 ? { filterPolicy } : {};
  switch (s.protocol) {
    case 'email': return new subs.EmailSubscription(s.endpoint, opts);
    case 'email-json': return new subs.EmailSubscription(s.endpoint, { ...opts, json: true });
    case 'sms': return new subs.SmsSubscription(s.endpoint, opts);
    case 'https': return new subs.UrlSubscription(s.endpoint, { ...opts, protocol: sns.SubscriptionProtocol.HTTPS });
  }
}

/** What every bishui function needs: the topics' key (to publish), its own logs, X-Ray. */
function grantBasics(role: iam.Role, r: { key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'TopicKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [r.key.keyArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [r.logGroup.logGroupArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
  });
}

/** The watchdog reads the latest samples and the alert state, writes the alert state, tells operations. */
function grantWatchdog(role: iam.Role, r: { table: dynamodb.Table; operations: sns.Topic; key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Table', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], resources: [r.table.tableArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: [r.operations.topicArn] }));
  grantBasics(role, r);
}

/** Exactly what the function does, on exactly what it touches. */
function grantLeastPrivilege(role: iam.Role, r: { bucket: s3.Bucket; table: dynamodb.Table; topics: sns.Topic[]; key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'ReadUploads', actions: ['s3:GetObject', 's3:GetObjectVersion'],
    resources: [r.bucket.arnForObjects(`${INCOMING_PREFIX}*`)],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteQuarantine', actions: ['s3:PutObject'],
    resources: [r.bucket.arnForObjects(`${QUARANTINE_PREFIX}*`)],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'Table', actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    resources: [r.table.tableArn, `${r.table.tableArn}/index/${FILE_INDEX.name}`],
  }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: r.topics.map((t) => t.topicArn) }));
  grantBasics(role, r);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(role).getLogicalId(r.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${INCOMING_PREFIX}*]`,
    reason: 'Uploaded files have arbitrary names; the grant is read-only and limited to the incoming/ prefix.',
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(role).getLogicalId(r.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${QUARANTINE_PREFIX}*]`,
    reason: 'Quarantined copies keep the original file name; write is limited to the quarantine/ prefix.',
  });
}

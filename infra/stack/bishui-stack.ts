/**
 * The production stack: raw bucket → (incoming/ only) → ingest queue (+ DLQ) → ingest function →
 * DynamoDB table; an hourly watchdog for silent stations; the monthly supervision run (reports/);
 * SNS topics for alerts and operations; alarms and a dashboard. Secure defaults live in secure-defaults.ts and functions.ts; every one
 * of them is asserted in test/infra.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FILE_INDEX, TABLE_KEYS } from '../../shared/adapters/dynamo/table-design.js';
import { INCOMING_PREFIX } from '../../shared/layout.js';
import type { StageConfig, Subscriber } from './deploy-config.js';
import { type BishuiFunctionProps, bishuiFunction } from './functions.js';
import { grantIngest, grantWatchdog } from './grants.js';
import { encryptedQueue, secureBucket, topicKey } from './secure-defaults.js';
import { SUPERVISION, grantSupervision, supervisionSchedule } from './supervision.js';
import { subscriptionFor } from './subscriptions.js';

export interface BishuiStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
  readonly subscribers: readonly Subscriber[];
}

interface Messaging {
  readonly key: kms.Key;
  readonly alerts: sns.Topic;
  readonly operations: sns.Topic;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

export class BishuiStack extends Stack {
  readonly rawBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly ingestFunction: NodejsFunction;
  readonly watchdogFunction: NodejsFunction;
  readonly supervisionFunction: NodejsFunction;
  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, private readonly props: BishuiStackProps) {
    super(scope, id, props);
    this.removalPolicy = props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.rawBucket = this.buckets();
    this.table = this.dataTable();
    const messaging = this.messaging();
    this.ingestFunction = this.ingest(messaging);
    this.watchdogFunction = this.watchdog(messaging);
    this.supervisionFunction = this.supervision(messaging);
    this.monitoring(messaging);
    new CfnOutput(this, 'RawBucketName', { value: this.rawBucket.bucketName, description: `upload monitoring files under s3://…/${INCOMING_PREFIX}` });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlertsTopicArn', { value: messaging.alerts.topicArn });
    new CfnOutput(this, 'OperationsTopicArn', { value: messaging.operations.topicArn });
  }

  /** The raw bucket (versioned, lifecycle for old raw files) and the bucket its access logs go to. */
  private buckets(): s3.Bucket {
    const { config } = this.props;
    const removalPolicy = this.removalPolicy;
    const accessLogs = secureBucket(this, 'AccessLogs', { removalPolicy, accessLogBucket: true });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log bucket itself; logging it into itself would loop.',
    });
    return secureBucket(this, 'RawBucket', {
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
  }

  /** The single table (key shapes: shared/adapters/dynamo/table-design.ts). */
  private dataTable(): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: this.props.config.retainData,
      removalPolicy: this.removalPolicy,
      // No TTL: nothing in the design expires (samples and the ledger are the bureau's record).
    });
    table.addGlobalSecondaryIndex({
      indexName: FILE_INDEX.name,
      partitionKey: { name: FILE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: FILE_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    return table;
  }

  /** The topics (one key), their subscribers, and the ingest queue the raw bucket notifies. */
  private messaging(): Messaging {
    const { config, stage } = this.props;
    const key = topicKey(this, 'TopicKey', this.removalPolicy);
    const alerts = new sns.Topic(this, 'AlertsTopic', { topicName: `bishui-${stage}-alerts`, displayName: '碧水 水质告警', masterKey: key, enforceSSL: true });
    const operations = new sns.Topic(this, 'OperationsTopic', { topicName: `bishui-${stage}-operations`, displayName: '碧水 运维', masterKey: key, enforceSSL: true });
    const topics = { alerts, operations };
    for (const s of this.props.subscribers) topics[s.topic].addSubscription(subscriptionFor(s));

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
    return { key, alerts, operations, queue, dlq };
  }

  /** A bishui function with the stage's retention and removal, and the table and topics in its environment. */
  private fn(name: string, m: Messaging, p: Omit<BishuiFunctionProps, 'name' | 'environment' | 'logRetentionDays' | 'removalPolicy'> & { environment?: Record<string, string> }) {
    return bishuiFunction(this, {
      ...p, name, logRetentionDays: this.props.config.function.logRetentionDays, removalPolicy: this.removalPolicy,
      environment: { TABLE_NAME: this.table.tableName, ALERTS_TOPIC_ARN: m.alerts.topicArn, OPERATIONS_TOPIC_ARN: m.operations.topicArn, ...p.environment },
    });
  }

  /** The ingest function on the queue, with partial batch failures. */
  private ingest(m: Messaging): NodejsFunction {
    const { config } = this.props;
    const ingest = this.fn('Ingest', m, {
      entry: 'functions/ingest/handler.ts',
      description: 'bishui ingest: read incoming/, write quarantine/, the table, the topics, its own logs',
      memoryMiB: config.function.memoryMiB,
      timeout: Duration.seconds(config.function.timeoutSeconds),
      reservedConcurrency: config.function.reservedConcurrency,
      environment: { LEASE_SECONDS: String(config.function.timeoutSeconds) },
    });
    ingest.fn.addEventSource(new SqsEventSource(m.queue, { batchSize: config.queue.batchSize, reportBatchItemFailures: true }));
    grantIngest(ingest.role, { bucket: this.rawBucket, table: this.table, topics: [m.alerts, m.operations], key: m.key, logGroup: ingest.logGroup });
    return ingest.fn;
  }

  /** The watchdog: online stations silent now (the ingest rules see a gap only when data resumes). */
  private watchdog(m: Messaging): NodejsFunction {
    const watchdog = this.fn('Watchdog', m, {
      entry: 'functions/watchdog/handler.ts',
      description: 'bishui watchdog: read latest samples and alert state, write alert state, publish to operations, its own logs',
      memoryMiB: 256,
      timeout: Duration.minutes(1),
    });
    new events.Rule(this, 'WatchdogSchedule', {
      description: 'bishui: hourly check for online monitoring stations that have gone silent',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(watchdog.fn, { retryAttempts: 2 })],
    });
    grantWatchdog(watchdog.role, { table: this.table, operations: m.operations, key: m.key, logGroup: watchdog.logGroup });
    return watchdog.fn;
  }

  /** The monthly supervision run (infra/stack/supervision.ts): scheduled, and on demand with `{ "month": "YYYY-MM" }`. */
  private supervision(m: Messaging): NodejsFunction {
    const supervision = this.fn('Supervision', m, {
      entry: 'functions/supervision/handler.ts',
      description: 'bishui supervision: read the table, write reports/, publish to alerts, its own logs',
      memoryMiB: SUPERVISION.memoryMiB,
      timeout: SUPERVISION.timeout,
      reservedConcurrency: SUPERVISION.reservedConcurrency,
      environment: { RAW_BUCKET: this.rawBucket.bucketName },
    });
    supervisionSchedule(this, supervision.fn);
    new CfnOutput(this, 'SupervisionFunctionName', { value: supervision.fn.functionName, description: 'the monthly bulletin on demand: invoke with {"month":"YYYY-MM"}' });
    grantSupervision(supervision.role, { bucket: this.rawBucket, table: this.table, alerts: m.alerts, key: m.key, logGroup: supervision.logGroup });
    return supervision.fn;
  }

  /** Alarms into operations, and the dashboard. */
  private monitoring(m: Messaging): void {
    const { config, stage } = this.props;
    const { queue, dlq, alerts, operations } = m;
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
      alarm('SupervisionErrors', this.supervisionFunction.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }), 0, '月度通报函数出错 (supervision function errors)'),
      alarm('OldestMessageAge', queue.metricApproximateAgeOfOldestMessage({ ...fiveMin, statistic: 'Maximum' }), config.queue.oldestMessageAlarmSeconds,
        '入库队列积压 (oldest message too old)'),
      alarm('SmsSpend', new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: Duration.hours(6), statistic: 'Maximum' }),
        config.alarms.smsMonthlySpendUsd, '短信费用超出预算 (SMS month-to-date spend)'),
    ];
    new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `bishui-${stage}` }).addWidgets(
      new cloudwatch.GraphWidget({ title: 'Ingest queue', left: [queue.metricApproximateNumberOfMessagesVisible(), queue.metricNumberOfMessagesReceived()], right: [queue.metricApproximateAgeOfOldestMessage()] }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue', left: [dlq.metricApproximateNumberOfMessagesVisible()] }),
      new cloudwatch.GraphWidget({ title: 'Ingest function', left: [this.ingestFunction.metricInvocations(), this.ingestFunction.metricErrors(), this.ingestFunction.metricThrottles()], right: [this.ingestFunction.metricDuration()] }),
      new cloudwatch.GraphWidget({ title: 'Watchdog function', left: [this.watchdogFunction.metricInvocations(), this.watchdogFunction.metricErrors()] }),
      new cloudwatch.GraphWidget({ title: 'Supervision function', left: [this.supervisionFunction.metricInvocations(), this.supervisionFunction.metricErrors()], right: [this.supervisionFunction.metricDuration()] }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB', left: [this.table.metricConsumedWriteCapacityUnits(), this.table.metricConsumedReadCapacityUnits()] }),
      new cloudwatch.GraphWidget({ title: 'Notifications', left: [alerts.metricNumberOfMessagesPublished(), operations.metricNumberOfMessagesPublished(), alerts.metricSMSSuccessRate()] }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms }),
    );
  }
}

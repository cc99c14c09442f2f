/**
 * The production stack: raw bucket → (incoming/ only) → ingest queue → ingest function → DynamoDB
 * table; the ingest queue's dead letters → dead-letter function (ledger failed, operations told);
 * an hourly watchdog for silent stations; the monthly supervision run (reports/); SNS topics for
 * alerts and operations; alarms and a dashboard. Secure defaults live in secure-defaults.ts and
 * functions.ts; every one of them is asserted in test/infra.
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
import { XLSX_ENGINE } from './bundling.js';
import { type BishuiFunctionProps, bishuiFunction } from './functions.js';
import { grantDeadLetter, grantIngest, grantWatchdog } from './grants.js';
import { SUPERVISION, grantSupervision, supervisionSchedule } from './supervision.js';
import { allowOwnAlarms, encryptedQueue, secureBucket, topicKey } from './secure-defaults.js';
import { subscribe } from './subscriptions.js';

/** The dead-letter function's time: a ledger update and one publish per file. */
const DEAD_LETTER_TIMEOUT = Duration.seconds(30);

/**
 * What an ingest invocation keeps back of its time to hand a file on (the last write chunk, up to
 * a thousand day parts, the checkpoint, the message) or to finish one (the flood-season rule over
 * its days, its digests and notices): a fifth of the timeout, at least 5 s, at most a minute.
 */
export const handoffReserveSeconds = (timeoutSeconds: number) => Math.min(60, Math.max(5, Math.floor(timeoutSeconds / 5)));

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
  readonly deadLetterFunction: NodejsFunction;
  readonly supervisionFunction: NodejsFunction;
  private readonly removalPolicy: RemovalPolicy;
  /** Every alarm's name starts with it; the topic and key policies let exactly these alarms publish. */
  private readonly alarmNamePrefix: string;

  constructor(scope: Construct, id: string, private readonly props: BishuiStackProps) {
    super(scope, id, props);
    this.removalPolicy = props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.alarmNamePrefix = `bishui-${props.stage}-`;
    this.rawBucket = this.buckets();
    this.table = this.dataTable();
    const messaging = this.messaging();
    this.ingestFunction = this.ingest(messaging);
    this.watchdogFunction = this.watchdog(messaging);
    this.deadLetterFunction = this.deadLetters(messaging);
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
    const key = topicKey(this, 'TopicKey', this.removalPolicy, this.alarmNamePrefix);
    const alerts = new sns.Topic(this, 'AlertsTopic', { topicName: `bishui-${stage}-alerts`, displayName: '碧水 水质告警', masterKey: key, enforceSSL: true });
    const operations = new sns.Topic(this, 'OperationsTopic', { topicName: `bishui-${stage}-operations`, displayName: '碧水 运维', masterKey: key, enforceSSL: true });
    // The alarms publish to operations; the functions publish through their roles (same account).
    allowOwnAlarms(operations, this.alarmNamePrefix);
    const topics = { alerts, operations };
    for (const s of this.props.subscribers) subscribe(this, topics[s.topic], s);

    const dlq = encryptedQueue(this, 'IngestDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      // Above the dead-letter function's timeout (AWS advises six times), as for the ingest queue.
      visibilityTimeout: Duration.seconds(DEAD_LETTER_TIMEOUT.toSeconds() * 6),
    });
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

  /**
   * The ingest function on the queue, with partial batch failures. A file longer than one
   * invocation goes on in the next: the function sends the rest to this same queue (its URL in the
   * environment), and the lease it hands on lasts a timeout, well inside the queue's visibility.
   */
  private ingest(m: Messaging): NodejsFunction {
    const { config } = this.props;
    const ingest = this.fn('Ingest', m, {
      entry: 'functions/ingest/handler.ts',
      description: 'bishui ingest: read incoming/, write quarantine/, the table, the topics, its own queue, its own logs',
      memoryMiB: config.function.memoryMiB,
      timeout: Duration.seconds(config.function.timeoutSeconds),
      reservedConcurrency: config.function.reservedConcurrency,
      environment: {
        LEASE_SECONDS: String(config.function.timeoutSeconds),
        INGEST_QUEUE_URL: m.queue.queueUrl,
        HANDOFF_RESERVE_SECONDS: String(handoffReserveSeconds(config.function.timeoutSeconds)),
      },
      lazyModules: [XLSX_ENGINE],
    });
    ingest.fn.addEventSource(new SqsEventSource(m.queue, { batchSize: config.queue.batchSize, reportBatchItemFailures: true }));
    grantIngest(ingest.role, { bucket: this.rawBucket, table: this.table, topics: [m.alerts, m.operations], queue: m.queue, key: m.key, logGroup: ingest.logGroup });
    return ingest.fn;
  }

  /** The watchdog: online stations silent now (the ingest rules see a gap only when data resumes). */
  private watchdog(m: Messaging): NodejsFunction {
    const watchdog = this.fn('Watchdog', m, {
      entry: 'functions/watchdog/handler.ts',
      description: 'bishui watchdog: read recent samples and alert state, write alert state and the outbox, publish, its own logs',
      memoryMiB: 256,
      timeout: Duration.minutes(1),
    });
    new events.Rule(this, 'WatchdogSchedule', {
      description: 'bishui: hourly check for online monitoring stations that have gone silent',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(watchdog.fn, { retryAttempts: 2 })],
    });
    grantWatchdog(watchdog.role, { table: this.table, topics: [m.alerts, m.operations], key: m.key, logGroup: watchdog.logGroup });
    return watchdog.fn;
  }

  /**
   * The dead-letter function on the ingest queue's dead-letter queue: each dead-lettered file ends
   * failed in the ledger with its last error and is announced on operations within minutes (the
   * queue is polled continuously). A dead letter it cannot handle stays in the queue (retried until
   * retention); an alarm says so.
   */
  private deadLetters(m: Messaging): NodejsFunction {
    const deadLetter = this.fn('DeadLetter', m, {
      entry: 'functions/dead-letter/handler.ts',
      description: 'bishui dead letters: read the dead-letter queue, mark the ledger entry failed, publish to operations, its own logs',
      memoryMiB: 256,
      timeout: DEAD_LETTER_TIMEOUT,
    });
    deadLetter.fn.addEventSource(new SqsEventSource(m.dlq, { batchSize: 10, reportBatchItemFailures: true }));
    grantDeadLetter(deadLetter.role, { table: this.table, operations: m.operations, key: m.key, logGroup: deadLetter.logGroup });
    return deadLetter.fn;
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
        alarmName: `${this.alarmNamePrefix}${id}`,
        metric, threshold, evaluationPeriods: 1, alarmDescription: description,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(toOps);
      return a;
    };
    const fiveMin = { period: Duration.minutes(5) };
    const alarms = [
      // Each dead letter is announced by the dead-letter function; this one fires when a dead letter
      // stays unhandled (for a DLQ the age counts from when the message moved there).
      alarm('DeadLettersUnhandled', dlq.metricApproximateAgeOfOldestMessage({ ...fiveMin, statistic: 'Maximum' }), 15 * 60,
        '死信未处理：死信函数 15 分钟内未能处理死信队列中的消息 (dead letters not handled)'),
      alarm('DeadLetterErrors', this.deadLetterFunction.metricErrors({ ...fiveMin, statistic: 'Sum' }), 0, '死信函数出错 (dead-letter function errors)'),
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
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue', left: [dlq.metricApproximateNumberOfMessagesVisible(), this.deadLetterFunction.metricInvocations(), this.deadLetterFunction.metricErrors()] }),
      new cloudwatch.GraphWidget({ title: 'Ingest function', left: [this.ingestFunction.metricInvocations(), this.ingestFunction.metricErrors(), this.ingestFunction.metricThrottles()], right: [this.ingestFunction.metricDuration()] }),
      new cloudwatch.GraphWidget({ title: 'Watchdog function', left: [this.watchdogFunction.metricInvocations(), this.watchdogFunction.metricErrors()] }),
      new cloudwatch.GraphWidget({ title: 'Supervision function', left: [this.supervisionFunction.metricInvocations(), this.supervisionFunction.metricErrors()], right: [this.supervisionFunction.metricDuration()] }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB', left: [this.table.metricConsumedWriteCapacityUnits(), this.table.metricConsumedReadCapacityUnits()] }),
      new cloudwatch.GraphWidget({ title: 'Notifications', left: [alerts.metricNumberOfMessagesPublished(), operations.metricNumberOfMessagesPublished(), alerts.metricSMSSuccessRate()] }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms }),
    );
  }
}

/**
 * The monthly supervision run in the stack, apart from the rest so it merges as one piece: the
 * function's size, its schedule and its role.
 *
 * The schedule is EventBridge Scheduler's, not an EventBridge rule's: Scheduler takes a time zone,
 * so "09:00 on the 2nd in Asia/Shanghai" is written as such, from the zone's one home (DEFAULT_ZONE),
 * with no UTC conversion to keep right (a rule's cron is UTC only); and it fills the scheduled time
 * into the input, so a retried or late run still reports the month the schedule meant.
 *
 * Retries: Scheduler retries delivering the invocation (throttling, service errors); it invokes the
 * function asynchronously, so a run that fails is retried by Lambda's asynchronous invocation
 * settings. Every run rewrites the month's documents whole, so a retry is harmless.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { REPORTS_PREFIX } from '../../shared/layout.js';
import { grantBasics } from './functions.js';
import { grantOutbox } from './grants.js';

export const SUPERVISION = {
  /**
   * Rendering (vega's headless view to SVG, docx) is CPU-bound and Lambda's CPU grows with memory:
   * 1,024 MB gives about half a vCPU. `npm run bench -- --only supervision` (the bundle, started with
   * this size's heap flags): peak RSS 238 MB, so memory is for CPU, not headroom.
   */
  memoryMiB: 1024,
  /**
   * The same bench: cold init 0.4 s, a run of July 2023 over 24 months of history 2.1 s on one core of
   * the development machine — a few times that on half a vCPU; two minutes leave room for slow reads.
   */
  timeout: Duration.minutes(2),
  /**
   * One run at a time: a scheduled run and an on-demand one for the same month would otherwise
   * interleave their writes and deletes of reports/YYYY-MM/. An asynchronous invocation that finds
   * it busy is throttled and retried by Lambda; a synchronous one is refused with a clear error.
   */
  reservedConcurrency: 1,
  /** When it runs: the 2nd of each month at 09:00 in the zone, for the month before. */
  cron: { minute: '0', hour: '9', day: '2' },
  /** Scheduler's delivery retries, and how long it keeps trying. */
  delivery: { retryAttempts: 3, maxEventAge: Duration.hours(6) },
  /** Lambda's retries of a failed run (asynchronous invocation: at most 2), and how long the event is kept. */
  run: { retryAttempts: 2, maxEventAge: Duration.hours(6) },
} as const;

/**
 * The monthly schedule, invoking the function with `{ "scheduledTime": "<the schedule's time>" }`,
 * through a role of its own that this account's Scheduler alone may assume.
 */
export function supervisionSchedule(scope: Construct, fn: lambda.IFunction): scheduler.Schedule {
  fn.configureAsyncInvoke({ retryAttempts: SUPERVISION.run.retryAttempts, maxEventAge: SUPERVISION.run.maxEventAge });
  const role = new iam.Role(scope, 'SupervisionScheduleRole', {
    description: 'bishui: EventBridge Scheduler invokes the supervision function, nothing else',
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
  });
  const fnId = Stack.of(scope).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
    reason: "CDK's grantInvoke covers the supervision function and its versions and aliases (ARN:*): one function, InvokeFunction only.",
  });
  return new scheduler.Schedule(scope, 'SupervisionSchedule', {
    description: `bishui: the monthly supervision bulletin, on the 2nd at 09:00 ${DEFAULT_ZONE}, for the month before`,
    schedule: scheduler.ScheduleExpression.cron({ ...SUPERVISION.cron, timeZone: TimeZone.of(DEFAULT_ZONE) }),
    target: new LambdaInvoke(fn, {
      role,
      input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
      retryAttempts: SUPERVISION.delivery.retryAttempts,
      maxEventAge: SUPERVISION.delivery.maxEventAge,
    }),
  });
}

/**
 * The supervision run reads the table (day parts, samples, month markers: queries on the table, not
 * its index), writes and replaces reports/ only, publishes to alerts only.
 */
export function grantSupervision(
  role: iam.Role, r: { bucket: s3.Bucket; table: dynamodb.Table; alerts: sns.Topic; key: { keyArn: string }; logGroup: logs.LogGroup },
): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTable', actions: ['dynamodb:Query'], resources: [r.table.tableArn] }));
  grantOutbox(role, r.table); // the month's message goes through the durable notifier
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteReports', actions: ['s3:PutObject', 's3:DeleteObject'], resources: [r.bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'ListReports', actions: ['s3:ListBucket'], resources: [r.bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${REPORTS_PREFIX}*`] } },
  }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: [r.alerts.topicArn] }));
  grantBasics(role, r);
  const bucketId = Stack.of(role).getLogicalId(r.bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${REPORTS_PREFIX}*]`,
    reason: `The month's documents (bulletin.html, bulletin.json, letters/*.docx) are named by month and town; write and delete are limited to the ${REPORTS_PREFIX} prefix.`,
  });
}

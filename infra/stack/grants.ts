/** Each function's own role: exactly what it does, on exactly what it touches. */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { FILE_INDEX } from '../../shared/adapters/dynamo/table-design.js';
import { INCOMING_PREFIX, QUARANTINE_PREFIX } from '../../shared/layout.js';
import { grantBasics } from './functions.js';

/**
 * The watchdog reads recent samples and the alert state, writes the alert state and the
 * notification outbox (and finds unsent pages on the file index), and publishes: silences to
 * operations, and whatever either topic's notifications the outbox still holds.
 */
export function grantWatchdog(role: iam.Role, r: { table: dynamodb.Table; topics: sns.Topic[]; key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'Table', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    resources: [r.table.tableArn, `${r.table.tableArn}/index/${FILE_INDEX.name}`],
  }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: r.topics.map((t) => t.topicArn) }));
  grantBasics(role, r);
}

/**
 * A function that announces through the durable notifier (shared/alerts/notifier.ts) records its
 * notification as an outbox page, claims and sends it, and removes it once SNS has it: items under
 * its own key, on the table (never the index: sweeping unsent pages is the ingest function's and the
 * watchdog's job).
 */
export function grantOutbox(role: iam.Role, table: dynamodb.Table): void {
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'Outbox', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], resources: [table.tableArn],
  }));
}

/**
 * The dead-letter function reads and marks the ledger entry of a dead-lettered file and tells
 * operations through the notifier's outbox; its queue's grants come with its event source. No
 * index, no batch writes, no S3.
 */
export function grantDeadLetter(role: iam.Role, r: { table: dynamodb.Table; operations: sns.Topic; key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Ledger', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [r.table.tableArn] }));
  grantOutbox(role, r.table);
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: [r.operations.topicArn] }));
  grantBasics(role, r);
}

/**
 * The ingest function reads uploads, writes quarantine copies, the table and its file index,
 * publishes to both topics, and sends to its own queue: the rest of a file an invocation has no
 * time to finish, and a message put back for a fresh invocation (the queue's receive and delete
 * grants come with its event source; it is encrypted with an SQS-managed key: no KMS grant).
 */
export function grantIngest(role: iam.Role, r: { bucket: s3.Bucket; table: dynamodb.Table; topics: sns.Topic[]; queue: sqs.Queue; key: { keyArn: string }; logGroup: logs.LogGroup }): void {
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'ReadUploads', actions: ['s3:GetObject', 's3:GetObjectVersion'],
    resources: [r.bucket.arnForObjects(`${INCOMING_PREFIX}*`)],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteQuarantine', actions: ['s3:PutObject'],
    resources: [r.bucket.arnForObjects(`${QUARANTINE_PREFIX}*`)],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    // DeleteItem: a notification outbox page goes once SNS has every notification in it.
    sid: 'Table', actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    resources: [r.table.tableArn, `${r.table.tableArn}/index/${FILE_INDEX.name}`],
  }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: r.topics.map((t) => t.topicArn) }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ContinueOnOwnQueue', actions: ['sqs:SendMessage'], resources: [r.queue.queueArn] }));
  grantBasics(role, r);
  const bucketId = Stack.of(role).getLogicalId(r.bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${INCOMING_PREFIX}*]`,
    reason: `Uploaded files have arbitrary names; the grant is read-only and limited to the ${INCOMING_PREFIX} prefix.`,
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${QUARANTINE_PREFIX}*]`,
    reason: `Quarantined copies keep the original file name; write is limited to the ${QUARANTINE_PREFIX} prefix.`,
  });
}

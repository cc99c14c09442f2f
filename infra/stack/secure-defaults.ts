/**
 * Secure defaults in one place (after AWS Solutions Constructs): every bucket blocks public access,
 * enforces TLS, is encrypted and versioned; every queue is encrypted and TLS-only; the topic key
 * rotates; the stack's own CloudWatch alarms — and nothing else from outside — may publish to a topic
 * and use its key. Tests assert each default.
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface SecureBucketProps extends Omit<s3.BucketProps, 'publicReadAccess' | 'blockPublicAccess' | 'enforceSSL' | 'encryption' | 'versioned'> {
  readonly removalPolicy: RemovalPolicy;
  /** A server-access-log target: its own logs expire after a year. */
  readonly accessLogBucket?: boolean;
}

export function secureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  const { accessLogBucket, ...rest } = props;
  return new s3.Bucket(scope, id, {
    ...rest,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, // no ACLs; log delivery is granted by bucket policy
    ...(accessLogBucket ? { lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }] } : {}),
  });
}

export function encryptedQueue(scope: Construct, id: string, props: Omit<sqs.QueueProps, 'encryption' | 'enforceSSL'> = {}): sqs.Queue {
  return new sqs.Queue(scope, id, { ...props, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
}

/**
 * Who CloudWatch acts for: this account's alarms whose names start with `alarmNamePrefix` — the
 * conditions that keep the service principal from publishing for anyone else (confused deputy).
 */
export function ownAlarmsOnly(scope: Construct, alarmNamePrefix: string): Record<string, Record<string, string>> {
  const { account, region, partition } = Stack.of(scope);
  return {
    StringEquals: { 'aws:SourceAccount': account },
    ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:${alarmNamePrefix}*` },
  };
}

const CLOUDWATCH = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

/** The customer-managed key of the SNS topics; the stack's alarms need it to publish to an encrypted topic. */
export function topicKey(scope: Construct, id: string, removalPolicy: RemovalPolicy, alarmNamePrefix: string): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, description: 'bishui SNS topics', removalPolicy });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowOwnAlarmsToPublish',
    principals: [CLOUDWATCH],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    conditions: ownAlarmsOnly(scope, alarmNamePrefix),
  }));
  return key;
}

/**
 * A topic's policy holds only the TLS Deny (enforceSSL) and replaces SNS's default policy, so
 * nothing outside the account's IAM may publish: the stack's alarms are let in by name.
 */
export function allowOwnAlarms(topic: sns.Topic, alarmNamePrefix: string): void {
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowOwnAlarmsToPublish',
    principals: [CLOUDWATCH],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: ownAlarmsOnly(topic, alarmNamePrefix),
  }));
}

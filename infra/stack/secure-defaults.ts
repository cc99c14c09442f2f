/**
 * Secure defaults in one place (after AWS Solutions Constructs): every bucket blocks public access,
 * enforces TLS, is encrypted and versioned; every queue is encrypted and TLS-only; the topic key
 * rotates and lets CloudWatch alarms publish. Tests assert each default.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
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

/** The customer-managed key of the SNS topics; CloudWatch needs it to publish alarm notifications. */
export function topicKey(scope: Construct, id: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, description: 'bishui SNS topics', removalPolicy });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
  }));
  return key;
}

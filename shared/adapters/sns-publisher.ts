/**
 * SNS behind the Publisher port: MessageStructure json with default, email and sms, and message
 * attributes that subscription filter policies match on (site, town, kind, severity, param) — a
 * list as a String.Array, which a filter matches when any element matches. The notification
 * arrives bounded (shared/alerts/messages/bounds.ts, applied when it is recorded in the outbox).
 */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Publisher, Topic } from '../ports/index.js';

export function publishInput(n: Notification, topicArn: string): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: n.subject,
    MessageStructure: 'json',
    Message: JSON.stringify({ default: n.default, email: n.email, sms: n.sms }),
    MessageAttributes: Object.fromEntries(Object.entries(n.attributes).map(([k, v]) => [k, typeof v === 'string'
      ? { DataType: 'String', StringValue: v }
      : { DataType: 'String.Array', StringValue: JSON.stringify(v) }])),
  };
}

export class SnsPublisher implements Publisher {
  constructor(private readonly sns: SNSClient, private readonly topics: Readonly<Record<Topic, string>>) {}

  async publish(n: Notification): Promise<void> {
    await this.sns.send(new PublishCommand(publishInput(n, this.topics[n.topic])));
  }
}

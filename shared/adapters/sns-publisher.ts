/**
 * SNS behind the Publisher port: MessageStructure json with default, email and sms, and message
 * attributes that subscription filter policies match on (site, town, kind, severity, param).
 */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Publisher, Topic } from '../ports/index.js';

export function publishInput(n: Notification, topicArn: string): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: n.subject.slice(0, 100),
    MessageStructure: 'json',
    Message: JSON.stringify({ default: n.default, email: n.email, sms: n.sms }),
    MessageAttributes: Object.fromEntries(
      Object.entries(n.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    ),
  };
}

export class SnsPublisher implements Publisher {
  constructor(private readonly sns: SNSClient, private readonly topics: Readonly<Record<Topic, string>>) {}

  async publish(n: Notification): Promise<void> {
    await this.sns.send(new PublishCommand(publishInput(n, this.topics[n.topic])));
  }
}

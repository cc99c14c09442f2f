/**
 * SNS is needed only when something is published, so its client loads then, not at cold start.
 * Throttling and passing faults are retried by the SDK a few more times than its default before
 * the notifier leaves the notification in the outbox for the next sweep.
 */
import { SnsPublisher } from '../../shared/adapters/sns-publisher.js';
import type { Publisher } from '../../shared/ports/index.js';

const SNS_MAX_ATTEMPTS = 5;

export function lazySnsPublisher(topics: { alerts: string; operations: string }): Publisher {
  let publisher: Promise<Publisher> | undefined;
  return {
    async publish(n) {
      publisher ??= import('@aws-sdk/client-sns').then(({ SNSClient }) => new SnsPublisher(new SNSClient({ maxAttempts: SNS_MAX_ATTEMPTS }), topics));
      await (await publisher).publish(n);
    },
  };
}

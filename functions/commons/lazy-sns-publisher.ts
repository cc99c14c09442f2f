/** SNS is needed only when something is published, so its client loads then, not at cold start. */
import { SnsPublisher } from '../../shared/adapters/sns-publisher.js';
import type { Publisher } from '../../shared/ports/index.js';

export function lazySnsPublisher(topics: { alerts: string; operations: string }): Publisher {
  let publisher: Promise<Publisher> | undefined;
  return {
    async publish(n) {
      publisher ??= import('@aws-sdk/client-sns').then(({ SNSClient }) => new SnsPublisher(new SNSClient({}), topics));
      await (await publisher).publish(n);
    },
  };
}

/**
 * A subscriber from the subscribers file as an SNS subscription, with a filter policy on the message
 * attributes. The construct id is the subscriber's own `id` (a label such as `sixinhe-chief`): CDK's
 * topic.addSubscription() names subscriptions after their endpoints, which would put phone numbers
 * and e-mail addresses into the template's logical ids.
 */
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Subscriber } from './deploy-config.js';

const PROTOCOLS: Record<Subscriber['protocol'], sns.SubscriptionProtocol> = {
  email: sns.SubscriptionProtocol.EMAIL,
  'email-json': sns.SubscriptionProtocol.EMAIL_JSON,
  sms: sns.SubscriptionProtocol.SMS,
  https: sns.SubscriptionProtocol.HTTPS,
};

export function subscribe(scope: Construct, topic: sns.ITopic, s: Subscriber): sns.Subscription {
  const filterPolicy: Record<string, sns.SubscriptionFilter> = {};
  const allow = (name: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) filterPolicy[name] = sns.SubscriptionFilter.stringFilter({ allowlist: [...values] });
  };
  allow('site', s.sites);
  allow('town', s.towns);
  allow('severity', s.severities);
  allow('kind', s.kinds);
  return new sns.Subscription(scope, `Subscriber-${s.id}`, {
    topic, protocol: PROTOCOLS[s.protocol], endpoint: s.endpoint,
    ...(Object.keys(filterPolicy).length > 0 ? { filterPolicy } : {}),
  });
}

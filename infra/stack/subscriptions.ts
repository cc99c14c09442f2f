/** A subscriber from config/subscribers.json as an SNS subscription, with a filter policy on the message attributes. */
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Subscriber } from './deploy-config.js';

export function subscriptionFor(s: Subscriber): sns.ITopicSubscription {
  const filterPolicy: Record<string, sns.SubscriptionFilter> = {};
  const allow = (name: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) filterPolicy[name] = sns.SubscriptionFilter.stringFilter({ allowlist: [...values] });
  };
  allow('site', s.sites);
  allow('town', s.towns);
  allow('severity', s.severities);
  allow('kind', s.kinds);
  const opts = Object.keys(filterPolicy).length > 0 ? { filterPolicy } : {};
  switch (s.protocol) {
    case 'email': return new subs.EmailSubscription(s.endpoint, opts);
    case 'email-json': return new subs.EmailSubscription(s.endpoint, { ...opts, json: true });
    case 'sms': return new subs.SmsSubscription(s.endpoint, opts);
    case 'https': return new subs.UrlSubscription(s.endpoint, { ...opts, protocol: sns.SubscriptionProtocol.HTTPS });
  }
}

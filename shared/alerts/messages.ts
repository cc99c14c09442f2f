/**
 * Alert events → SNS notifications, one builder per kind (messages/): Chinese email with full
 * detail, one Chinese SMS segment, a Chinese `default`, and the attributes subscriptions filter on
 * (site, town, kind, severity, param). Every notification leaves here bounded (messages/bounds.ts).
 */
import type { Site } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import type { Notification, Topic } from '../ports/index.js';
import { type AlertConfig, DEFAULT_ALERT_CONFIG } from './config.js';
import type { AnyEvent } from './events.js';
import { bounded } from './messages/bounds.js';
import { digestNotification } from './messages/digest.js';
import { exceedanceNotification } from './messages/exceedance.js';
import { fluctuationNotification } from './messages/fluctuation.js';
import { lateNotification } from './messages/late.js';
import { recoveryNotification } from './messages/recovery.js';
import { suspectNotification } from './messages/suspect.js';
import type { MessageContext } from './messages/text.js';

export type { Severity } from './events.js';

function build(event: AnyEvent, c: MessageContext): Notification {
  switch (event.kind) {
    case 'exceedance': return exceedanceNotification(event, c);
    case 'recovery': return recoveryNotification(event, c);
    case 'late-exceedance': return lateNotification(event, c);
    case 'fluctuation': return fluctuationNotification(event, c);
    case 'suspect-data': return suspectNotification(event, c);
  }
}

export function notificationFor(event: AnyEvent, site: Site, zone = DEFAULT_ZONE, config: AlertConfig = DEFAULT_ALERT_CONFIG): Notification {
  return bounded(build(event, { site, zone, config }));
}

/**
 * The notifications for one update of a site: one per event, except that more than
 * `config.digestAbove` for one topic become a single digest of them (messages/digest.ts).
 */
export function notificationsFor(events: readonly AnyEvent[], site: Site, zone = DEFAULT_ZONE, config: AlertConfig = DEFAULT_ALERT_CONFIG): Notification[] {
  const c: MessageContext = { site, zone, config };
  const entries = events.map((event) => ({ event, n: bounded(build(event, c)) }));
  const byTopic = new Map<Topic, typeof entries>();
  for (const x of entries) (byTopic.get(x.n.topic) ?? byTopic.set(x.n.topic, []).get(x.n.topic)!).push(x);
  return [...byTopic].flatMap(([topic, list]) => (list.length > config.digestAbove ? [bounded(digestNotification(topic, list, c))] : list.map((x) => x.n)));
}

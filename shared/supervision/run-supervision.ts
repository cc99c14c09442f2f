/**
 * The monthly supervision run — the one service the scheduled Lambda, its on-demand invocation and
 * `bishui report` share (ports only): build the month's bulletin, render its documents, write them
 * under reports/YYYY-MM/, replacing what an earlier run of the month wrote, and publish one message.
 *
 * Order matters for a run that fails half-way (the Lambda is retried): the new documents are
 * written first (same names overwrite), then what an earlier run left and this one did not write
 * (a letter for a town that no longer needs one) is deleted, then the message goes out — so a
 * failure never leaves a month with fewer documents than either run meant, and a message always
 * names documents that exist.
 */
import { addDays } from '../domain/months.js';
import { DEFAULT_ZONE, localDate } from '../domain/time.js';
import { REPORTS_PREFIX } from '../layout.js';
import type { Log, Notification, Publisher, ReportStore } from '../ports/index.js';
import type { Bulletin } from './bulletin.js';
import { type BulletinDeps, buildBulletin } from './build-bulletin.js';
import { documentNames, renderSupervisionDocuments } from './documents/index.js';
import { type DocumentLocations, supervisionNotification } from './notification.js';

export interface SupervisionRunDeps extends BulletinDeps {
  readonly reports: ReportStore;
  /** Where the month's message goes; without one the documents are written and nothing is announced. */
  readonly publisher?: Publisher;
  readonly log?: Log;
}

export interface SupervisionRun {
  /** The bulletin, its `files` holding the documents' keys (reports/YYYY-MM/…). */
  readonly bulletin: Bulletin;
  /** The same documents as a person finds them (s3://bucket/key, or a path on disk). */
  readonly locations: DocumentLocations;
  /** Keys an earlier run of the month wrote that this one replaced by nothing (deleted). */
  readonly removed: readonly string[];
  /** The message published, when there was a publisher. */
  readonly notification?: Notification;
}

/** reports/2023-07/ */
export const reportPrefix = (month: string): string => `${REPORTS_PREFIX}${month}/`;

export async function runSupervision(month: string, deps: SupervisionRunDeps): Promise<SupervisionRun> {
  const built = await buildBulletin(month, deps);
  const prefix = reportPrefix(built.month);
  const names = documentNames(built);
  const bulletin: Bulletin = {
    ...built,
    files: { html: prefix + names.html, json: prefix + names.json, letters: names.letters.map((n) => prefix + n) },
  };

  const { config } = deps;
  const issuedOn = localDate(Date.parse(bulletin.generatedAt), deps.zone ?? DEFAULT_ZONE);
  const { files } = await renderSupervisionDocuments(bulletin, {
    zoneName: config.documents.zoneName, issuer: config.documents.issuer, committee: config.committee,
    issuedOn, replyBy: addDays(issuedOn, config.replyDeadlineDays),
  });
  const keys = files.map((f) => prefix + f.name);
  const expected = [bulletin.files.html, bulletin.files.json, ...bulletin.files.letters];
  if (keys.join('\n') !== expected.join('\n')) {
    throw new Error(`supervision ${month}: the documents rendered (${keys.join(', ')}) are not the ones the bulletin names (${expected.join(', ')})`);
  }

  const before = await deps.reports.list(prefix);
  for (const f of files) await deps.reports.put(prefix + f.name, f.body, f.contentType);
  const written = new Set(keys);
  const removed = before.filter((k) => !written.has(k));
  for (const k of removed) await deps.reports.delete(k);

  const locate = (k: string) => deps.reports.locate(k);
  const locations: DocumentLocations = {
    html: locate(bulletin.files.html), json: locate(bulletin.files.json), letters: bulletin.files.letters.map(locate),
  };
  deps.log?.info('supervision documents written', { month, documents: keys.length, letters: bulletin.files.letters.length, removed });
  if (!deps.publisher) return { bulletin, locations, removed };
  const notification = supervisionNotification(bulletin, locations);
  await deps.publisher.publish(notification);
  deps.log?.info('supervision message published', { month, severity: notification.attributes.severity });
  return { bulletin, locations, removed, notification };
}

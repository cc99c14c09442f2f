/**
 * The alert side of ingest: stored samples go through the per-site rules, a finished file through
 * the flood-season rule, and files that operations must hear about (quarantined, too many rejected
 * rows) become notices.
 */
import type { SiteRegistry } from '../domain/sites.js';
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { IngestListener, LedgerEntry, Publisher, SiteDay } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import type { AlertEngine } from './engine.js';
import { quarantinedNotice, rejectedRowsNotice } from './ingest-notices.js';

export class AlertIngestListener implements IngestListener {
  constructor(private readonly deps: {
    readonly engine: AlertEngine;
    readonly publisher: Publisher;
    readonly registry: SiteRegistry;
    readonly config: AlertConfig;
  }) {}

  stored(batch: readonly EvaluatedSample[]): Promise<void> {
    return this.deps.engine.onStored(batch);
  }

  async fileDone(entry: LedgerEntry, days: readonly SiteDay[]): Promise<void> {
    await this.deps.engine.afterFile(days);
    const accepted = entry.accepted ?? 0;
    const rejected = entry.rejected ?? 0;
    if (rejected === 0 || rejected / (accepted + rejected) <= this.deps.config.ingest.rejectedShareToReport) return;
    const sites = entry.sites ?? [];
    const site = sites.length === 1 ? this.deps.registry.resolve(sites[0] as string) : undefined;
    await this.deps.publisher.publish(rejectedRowsNotice({
      bucket: entry.bucket, key: entry.key, accepted, rejected,
      reason: (entry.rejectedRows ?? []).slice(0, 3).map((r) => `第${r.line}行 ${r.reason}`).join('；'),
      ...(site ? { site: site.id } : {}), ...(site?.town ? { town: site.town } : {}),
    }));
  }

  async fileQuarantined(entry: LedgerEntry): Promise<void> {
    await this.deps.publisher.publish(quarantinedNotice({
      bucket: entry.bucket, key: entry.key, reason: entry.error ?? '', ...(entry.quarantineKey ? { quarantineKey: entry.quarantineKey } : {}),
    }));
  }
}

/**
 * The alert side of ingest: stored samples go through the per-site rules, a finished file through
 * the flood-season rule and its late-exceedance digest, and files that operations must hear about
 * (quarantined, too many rejected rows) become keyed notices. Ingest calls each method before the
 * ledger entry acknowledging the file is written, and everything here is recorded in the outbox
 * before the method returns (notifier.ts) — so a crash before the ledger write loses nothing, and
 * the re-run records no notice twice (the key is the file's version and the notice's kind).
 * Nothing about a file is kept in process memory between calls: a file read over several
 * invocations ends in a process that saw only its last part, so ingest passes what the end needs
 * (the site-days the file touched, the sites a quarantined file stored samples of).
 */
import type { SiteRegistry } from '../domain/sites.js';
import type { EvaluatedSample } from '../domain/evaluate.js';
import type { IngestListener, LedgerEntry, Log, SiteDay } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import type { AlertEngine } from './engine.js';
import { type FileProblem, nearMissNotice, quarantinedNotice, rejectedRowsNotice } from './ingest-notices.js';
import type { Notifier } from './notifier.js';

/** The key of a file's notice: one per file version and kind. */
export const fileNoticeKey = (kind: string, entry: Pick<LedgerEntry, 'fileId' | 'version'>) => `${kind}:${entry.fileId}#${entry.version}`;

const fileName = (key: string) => key.split('/').pop() ?? key;

export class AlertIngestListener implements IngestListener {
  constructor(private readonly deps: {
    readonly engine: AlertEngine;
    readonly notifier: Notifier;
    readonly registry: SiteRegistry;
    readonly config: AlertConfig;
    readonly log?: Log;
  }) {}

  async stored(batch: readonly EvaluatedSample[]): Promise<void> {
    await this.deps.engine.onStored(batch);
  }

  async fileDone(entry: LedgerEntry, days: readonly SiteDay[]): Promise<void> {
    await this.deps.engine.afterFile(days);
    // Every stored sample is in a day part: the days name every site the file stored samples of.
    await this.finished(entry, [...(entry.sites ?? []), ...days.map((d) => d.site)]);
    const accepted = entry.accepted ?? 0;
    const rejected = entry.rejected ?? 0;
    if (rejected > 0 && rejected / (accepted + rejected) > this.deps.config.ingest.rejectedShareToReport) {
      const sites = entry.sites ?? [];
      const site = sites.length === 1 ? this.deps.registry.resolve(sites[0] as string) : undefined;
      await this.deps.notifier.notify(fileNoticeKey('rejected-rows', entry), [rejectedRowsNotice({
        ...problem(entry), accepted, rejected, lines: (entry.rejectedRows ?? []).map((r) => r.line),
        ...(site ? { site: site.id } : {}), ...(site?.town ? { town: site.town } : {}),
      })]);
    }
    const nearMisses = entry.nearMisses ?? [];
    if (nearMisses.length > 0) {
      await this.deps.notifier.notify(fileNoticeKey('near-miss', entry), [nearMissNotice({
        ...problem(entry),
        nearMisses: nearMisses.map((n) => ({ ...n, siteName: this.deps.registry.get(n.site)?.name ?? n.site })),
      })]);
    }
    await this.sweep();
  }

  async fileQuarantined(entry: LedgerEntry, sites: readonly string[]): Promise<void> {
    await this.finished(entry, sites);
    await this.deps.notifier.notify(fileNoticeKey('quarantined', entry), [quarantinedNotice({
      ...problem(entry), ...(entry.quarantineKey ? { quarantineKey: entry.quarantineKey } : {}),
    })]);
    await this.sweep();
  }

  /** The file's late-exceedance digests, one per site it stored samples of. */
  private async finished(entry: LedgerEntry, sites: readonly string[]): Promise<void> {
    await this.deps.engine.fileFinished(fileName(entry.key), sites);
  }

  /** What earlier runs left in the outbox goes out too; its failure is not this file's. */
  private async sweep(): Promise<void> {
    try {
      await this.deps.notifier.sweep();
    } catch (err) {
      this.deps.log?.warn('outbox sweep failed; the next run or the watchdog retries', { error: (err as Error).message });
    }
  }
}

function problem(entry: LedgerEntry): FileProblem {
  return { bucket: entry.bucket, key: entry.key, reason: entry.error ?? '', ...(entry.errorZh ? { reasonZh: entry.errorZh } : {}) };
}

/**
 * One object from the raw bucket into storage, exactly once in effect: the ledger's lease keeps
 * two workers off the same file, deterministic sample keys make a re-run harmless, a finished file
 * is acknowledged and skipped, and a file that is not monitoring data is quarantined with a report.
 * Uses ports only — the Lambda handler and the local runtime supply the adapters.
 */
import type { Evaluation } from '../domain/evaluate.js';
import { evaluateSample } from '../domain/evaluate.js';
import type { Sample } from '../domain/sample.js';
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE } from '../domain/time.js';
import { openMonitoringFile } from '../parsers/read.js';
import { FileRejectedError } from '../parsers/types.js';
import type {
  DayPart, FileLedger, LedgerEntry, Log, ObjectRef, ObjectStore, Publisher, RejectedRow, SampleStore, SiteDay, StoredSample,
} from '../ports/index.js';
import { fileIdOf, toStored, versionOf } from '../ports/index.js';
import { quarantinedNotice, rejectedRowsNotice } from '../alerts/ingest-notices.js';
import { DayPartCollector } from './day-parts.js';
import { LEDGER_REJECTED_ROWS_KEPT, LEDGER_WARNINGS_KEPT } from '../limits.js';
import { rowLabel } from '../parsers/table-rows.js';

export const QUARANTINE_PREFIX = 'quarantine/';
const WRITE_CHUNK = 500;

export interface EvaluatedSample {
  readonly sample: Sample;
  readonly evaluation: Evaluation;
}

export interface IngestDeps {
  readonly objects: ObjectStore;
  readonly samples: SampleStore;
  readonly ledger: FileLedger;
  readonly publisher: Publisher;
  readonly registry: SiteRegistry;
  readonly log: Log;
  readonly now: () => number;
  /** How long a worker may hold a file before another may take it over (≥ the function timeout). */
  readonly leaseMs: number;
  readonly zone?: string;
  /** Share of rejected rows above which operations hear about the file (default 0.2). */
  readonly rejectedShareToReport?: number;
  /** Called after each chunk of samples is stored: the alert rules hang here. */
  readonly onStored?: (batch: readonly EvaluatedSample[]) => Promise<void>;
  /** Called once a file's samples and day parts are stored, with the site-days it touched (the flood-season rule). */
  readonly afterFile?: (days: readonly SiteDay[]) => Promise<void>;
}

export type IngestOutcome =
  | { readonly status: 'done' | 'failed'; readonly entry: LedgerEntry }
  | { readonly status: 'duplicate'; readonly entry: LedgerEntry }
  | { readonly status: 'ignored'; readonly reason: string };

/** Another worker holds the file's lease: the message should come back later. */
export class FileBusyError extends Error {
  constructor(readonly fileId: string, readonly leaseUntil: number) {
    super(`${fileId} is being processed by another worker (lease until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'FileBusyError';
  }
}


/** zlib's "this is not gzip after all" errors are the file's fault, not a passing fault. */
function isCorruptData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_INVALID_ARG_VALUE';
}

export async function ingestObject(ref: ObjectRef, deps: IngestDeps): Promise<IngestOutcome> {
  if (ref.key.startsWith(QUARANTINE_PREFIX)) return { status: 'ignored', reason: 'bishui wrote this object itself (quarantine/)' };
  const fileId = fileIdOf(ref);
  const version = versionOf(ref);
  const started = deps.now();
  const lease = await deps.ledger.acquire(ref, version, started, deps.leaseMs);
  if (lease.outcome === 'finished') {
    deps.log.info('duplicate event for a finished file: acknowledged, skipped', { fileId, version, status: lease.entry.status });
    return { status: 'duplicate', entry: lease.entry };
  }
  if (lease.outcome === 'busy') throw new FileBusyError(fileId, lease.leaseUntil);

  const zone = deps.zone ?? DEFAULT_ZONE;
  const base = {
    fileId, bucket: ref.bucket, key: ref.key, version, attempts: lease.attempts,
    receivedAt: new Date(started).toISOString(),
  };
  const name = ref.key.split('/').pop() ?? ref.key;
  const rejectedRows: RejectedRow[] = [];
  const warnings: string[] = [];
  let accepted = 0;
  let rejected = 0;
  let skipped = 0;
  let warned = 0;
  let missing = 0;
  const sites = new Set<string>();
  const parts = new DayPartCollector(fileId, zone);
  let format: string | undefined;
  let encoding: string | undefined;

  try {
    const { body } = await deps.objects.get(ref);
    const opened = await openMonitoringFile(body, name, { registry: deps.registry, zone, key: ref.key, now: deps.now });
    format = opened.format;
    encoding = opened.encoding + (opened.gzip ? '+gzip' : '');
    let chunk: StoredSample[] = [];
    let evaluated: EvaluatedSample[] = [];
    let pending: Promise<void> = Promise.resolve();
    // The file's earlier day parts (a previous version's, or a crashed run's) go before its first new
    // part is stored; a file that turns out unreadable before then leaves them as they were.
    let partsCleared = false;
    const storeParts = async (ready: readonly DayPart[]) => {
      if (ready.length === 0) return;
      if (!partsCleared) { await deps.samples.clearDayParts(fileId); partsCleared = true; }
      await deps.samples.putDayParts(ready);
    };
    // Writes run while the next chunk is parsed; chunks are written in order, so for two rows with
    // the same key the later row wins, as it would in the file.
    const flush = async () => {
      const toWrite = chunk;
      const toAlert = evaluated;
      chunk = [];
      evaluated = [];
      await pending;
      pending = (async () => {
        await deps.samples.putSamples(toWrite);
        if (deps.onStored) await deps.onStored(toAlert);
      })();
      // Awaited at the next flush; until then a failure must not count as unhandled.
      pending.catch(() => undefined);
    };
    for await (const batch of opened.batches) {
      for (const ev of batch) {
        switch (ev.type) {
          case 'sample': {
            const site = deps.registry.resolve(ev.sample.site);
            const evaluation = evaluateSample(ev.sample, site);
            chunk.push(toStored(ev.sample, evaluation, fileId, version));
            if (deps.onStored) evaluated.push({ sample: ev.sample, evaluation });
            parts.add(ev.sample);
            sites.add(ev.sample.site);
            accepted++;
            break;
          }
          case 'rejected':
            rejected++;
            if (rejectedRows.length < LEDGER_REJECTED_ROWS_KEPT) {
              rejectedRows.push(ev.sheet === undefined ? { line: ev.line, reason: ev.reason } : { line: ev.line, sheet: ev.sheet, reason: ev.reason });
            }
            break;
          case 'skipped':
            skipped++;
            break;
          case 'cell':
            warned++;
            if (warnings.length < LEDGER_WARNINGS_KEPT) warnings.push(`line ${rowLabel(ev.line, ev.sheet)}, ${ev.param} '${ev.value}': ${ev.reason}`);
            break;
          case 'missing':
            missing += ev.count;
            break;
          case 'warning':
            if (warnings.length < LEDGER_WARNINGS_KEPT) warnings.push(ev.line === undefined ? ev.message : `line ${ev.line}: ${ev.message}`);
            break;
        }
      }
      if (chunk.length >= WRITE_CHUNK) await flush();
      await storeParts(parts.takeOverflow()); // memory stays flat however many days the file spans
    }
    await flush();
    await pending;
    await storeParts(parts.takeAll());
    if (deps.afterFile) await deps.afterFile(parts.days());
  } catch (err) {
    if (err instanceof FileRejectedError || isCorruptData(err)) {
      const reason = err instanceof FileRejectedError ? err.reason : `cannot be decompressed: ${(err as Error).message}`;
      return quarantine(ref, reason, { ...base, format, encoding, accepted, rejected }, deps);
    }
    throw err;
  }

  const entry: LedgerEntry = {
    ...base, status: 'done', finishedAt: new Date(deps.now()).toISOString(),
    ...(format ? { format } : {}), ...(encoding ? { encoding } : {}),
    accepted, rejected, skipped, warned, missing, rejectedRows, warnings, sites: [...sites],
  };
  await deps.ledger.complete(entry);
  deps.log.info('file ingested', { fileId, version, format, accepted, rejected, skipped, ms: deps.now() - started });

  const share = deps.rejectedShareToReport ?? 0.2;
  if (rejected > 0 && rejected / (accepted + rejected) > share) {
    const site = sites.size === 1 ? deps.registry.resolve([...sites][0] as string) : undefined;
    await deps.publisher.publish(rejectedRowsNotice({
      bucket: ref.bucket, key: ref.key, accepted, rejected,
      reason: rejectedRows.slice(0, 3).map((r) => `第${r.line}行 ${r.reason}`).join('；'),
      ...(site ? { site: site.id } : {}), ...(site?.town ? { town: site.town } : {}),
    }));
  }
  return { status: 'done', entry };
}

async function quarantine(
  ref: ObjectRef, reason: string, base: Omit<LedgerEntry, 'status'> & { format?: string | undefined; encoding?: string | undefined },
  deps: IngestDeps,
): Promise<IngestOutcome> {
  const quarantineKey = `${QUARANTINE_PREFIX}${ref.key}`;
  const report = {
    file: `s3://${ref.bucket}/${ref.key}`, version: base.version, reason,
    detectedFormat: base.format ?? null, at: new Date(deps.now()).toISOString(),
    note: 'The raw upload is kept unchanged at its original key; this is a copy for inspection.',
  };
  await deps.objects.copy(ref, quarantineKey);
  await deps.objects.put(ref.bucket, `${quarantineKey}.error.json`, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  const entry: LedgerEntry = {
    fileId: base.fileId, bucket: base.bucket, key: base.key, version: base.version, attempts: base.attempts,
    receivedAt: base.receivedAt, status: 'failed', finishedAt: new Date(deps.now()).toISOString(),
    error: reason, quarantineKey, accepted: base.accepted ?? 0, rejected: base.rejected ?? 0,
    ...(base.format ? { format: base.format } : {}),
  };
  await deps.ledger.complete(entry);
  deps.log.warn('file quarantined', { fileId: base.fileId, reason, quarantineKey });
  await deps.publisher.publish(quarantinedNotice({ bucket: ref.bucket, key: ref.key, reason, quarantineKey }));
  return { status: 'failed', entry };
}

/**
 * The local pipeline's commands: `start` (the README's main job), `ingest`, `watchdog`, `query`, `samples`.
 * Each uses a running `bishui start` for the same data dir when there is one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DynamoFileLedger, DynamoSampleStore, documentClient } from '../../shared/adapters/dynamo/repository.js';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import type { Grade } from '../../shared/domain/gb3838.js';
import { GRADES } from '../../shared/domain/gb3838.js';
import { sampleView } from '../../shared/domain/sample-view.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { formatInstant, parseTime } from '../../shared/domain/time.js';
import type { EvaluatedSample } from '../../shared/ingest/ingest-object.js';
import type { LedgerEntry, Notification } from '../../shared/ports/index.js';
import { generateSamples } from '../sample-data/generate.js';
import { generateHistory } from '../sample-data/history.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient, localS3Client } from '../local/emulators.js';
import { INCOMING_PREFIX, LocalPipeline, type PipelineEvent } from '../local/pipeline.js';
import { runningRuntime, writeRuntime } from '../local/runtime-file.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type CliIo, loadRegistryOption } from './io.js';
import { renderSamples } from './sample-table.js';
import { renderTable } from './table.js';

export const DEFAULT_DATA_DIR = '.bishui';
const REPO_SAMPLES = resolve(import.meta.dirname, '../../samples');

interface CommonOpts { dataDir: string; sites?: string; json?: boolean }

function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== 'README.md')
    .map((e) => join(dir, e.name)).sort();
}

function ledgerLine(e: LedgerEntry | undefined, name: string): string {
  if (!e) return `  ? ${name}: no ledger entry yet`;
  if (e.status === 'failed') return `  ✗ ${name}: quarantined — ${e.error} (copy at ${e.quarantineKey})`;
  if (e.status === 'processing') return `  … ${name}: still processing`;
  const extra = e.rejected ? `, ${e.rejected} rejected (first: line ${e.rejectedRows?.[0]?.line}: ${e.rejectedRows?.[0]?.reason})` : '';
  return `  ✓ ${name}: ${e.format} ${e.encoding ?? ''}, ${e.accepted} samples${extra}${e.skipped ? `, ${e.skipped} packets without samples` : ''}`;
}

function notificationLine(n: Notification): string {
  return `  ⚑ [${n.topic}/${n.attributes.severity ?? ''}] ${n.sms}`;
}

/** Grade counts per site over what this run stored. */
class GradeTally {
  private readonly bySite = new Map<string, { grades: Partial<Record<Grade | 'none', number>>; samples: number; compliant: number }>();

  add(batch: readonly EvaluatedSample[]): void {
    for (const { sample, evaluation } of batch) {
      let t = this.bySite.get(sample.site);
      if (!t) { t = { grades: {}, samples: 0, compliant: 0 }; this.bySite.set(sample.site, t); }
      t.samples++;
      const g = evaluation.grade ?? 'none';
      t.grades[g] = (t.grades[g] ?? 0) + 1;
      if (evaluation.compliant) t.compliant++;
    }
  }

  get total(): number {
    return [...this.bySite.values()].reduce((n, t) => n + t.samples, 0);
  }

  render(registry: SiteRegistry): string {
    const rows = [...this.bySite.entries()].map(([site, t]) => [
      site, registry.find(site)?.name ?? '(unregistered)', String(t.samples),
      ...GRADES.map((g) => String(t.grades[g] ?? 0)), String(t.grades.none ?? 0),
      `${((100 * t.compliant) / Math.max(1, t.samples - (t.grades.none ?? 0))).toFixed(1)}%`,
    ]);
    return renderTable(['site', 'name', 'samples', ...GRADES, 'no valid data', 'compliant'], rows);
  }

  toJSON() {
    return Object.fromEntries(this.bySite);
  }
}

async function pipelineFor(
  opts: CommonOpts & { s3Port?: number; dynamoPort?: number }, registry: SiteRegistry,
  onEvent: (e: PipelineEvent) => void, watchers: { add(batch: readonly EvaluatedSample[]): void }[],
) {
  return LocalPipeline.start({
    dataDir: opts.dataDir, registry, onEvent,
    ...(opts.s3Port !== undefined ? { s3Port: opts.s3Port } : {}),
    ...(opts.dynamoPort !== undefined ? { dynamoPort: opts.dynamoPort } : {}),
    wrapDeps: (deps) => ({
      ...deps,
      onStored: async (batch) => {
        for (const w of watchers) w.add(batch);
        await deps.onStored?.(batch);
      },
    }),
  });
}

/** Long files show how far they have got, at most every two seconds. */
class Progress {
  private readonly files = new Map<string, { n: number; last: number }>();
  constructor(private readonly say: (s: string) => void) {}

  add(batch: readonly EvaluatedSample[]): void {
    const file = batch[0]?.sample.source.file;
    if (!file) return;
    const f = this.files.get(file) ?? { n: 0, last: Date.now() };
    f.n += batch.length;
    this.files.set(file, f);
    if (Date.now() - f.last > 2000) {
      f.last = Date.now();
      this.say(`  … ${file}: ${f.n.toLocaleString('en')} samples stored so far`);
    }
  }
}

export function registerLocal(program: Command, io: CliIo): void {
  const withData = (c: Command) => c
    .option('--data-dir <dir>', 'where the local emulators keep their data', DEFAULT_DATA_DIR)
    .option('--sites <file>', 'site registry (default: config/sites.json or $BISHUI_SITES)');

  withData(program.command('start'))
    .description('run the pipeline locally: emulators, the shipped samples, a summary, then watch drop/ and the local S3 until Ctrl-C')
    .option('--once', 'process the samples, print the summary and exit')
    .option('--samples <dir>', 'folder of files to upload first', REPO_SAMPLES)
    .option('--drop <dir>', 'folder to watch for new files', 'drop')
    .option('--s3-port <port>', 'port of the local S3 (for aws s3 cp --endpoint-url)', (v) => Number(v), 4569)
    .option('--dynamo-port <port>', 'port of the local DynamoDB', (v) => Number(v), 4567)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: CommonOpts & { once?: boolean; samples: string; drop: string; s3Port: number; dynamoPort: number }) => {
      const registry = loadRegistryOption(opts.sites);
      if (runningRuntime(opts.dataDir)) throw new Error(`bishui start is already running for ${opts.dataDir}; stop it first or use another --data-dir`);
      const tally = new GradeTally();
      const notifications: Notification[] = [];
      const say = (s: string) => { if (!opts.json) io.out(s); };
      const pipe = await pipelineFor(opts, registry, (e) => {
        if (e.type === 'notification') { notifications.push(e.notification); say(notificationLine(e.notification)); }
        if (e.type === 'handled' && e.handled.outcome && e.handled.outcome.status !== 'ignored') {
          say(ledgerLine(e.handled.outcome.entry, e.handled.ref.key));
        }
        if (e.type === 'handled' && e.handled.error) say(`  ! ${e.handled.ref.key}: ${e.handled.error} (will be retried)`);
      }, [tally, new Progress(say)]).catch((err: Error) => {
        throw new Error(/EADDRINUSE/.test(err.message) ? `a port is taken (${err.message}); pass --s3-port 0 --dynamo-port 0 for free ones` : err.message);
      });
      const removeRuntime = writeRuntime(opts.dataDir, {
        pid: process.pid, s3Endpoint: pipe.emulators.s3Endpoint, dynamoEndpoint: pipe.emulators.dynamoEndpoint,
        outboxPath: pipe.outboxPath, startedAt: new Date().toISOString(),
      });
      try {
        say(`bishui — local pipeline, data in ${opts.dataDir}/`);
        say(`  S3 (s3rver)          ${pipe.emulators.s3Endpoint}  bucket ${LOCAL_BUCKET}, uploads under ${INCOMING_PREFIX}`);
        say(`  DynamoDB (dynalite)  ${pipe.emulators.dynamoEndpoint}  table ${LOCAL_TABLE}`);
        say(`  SNS outbox           ${pipe.outboxPath}`);
        // The shipped months first, then their history (older, back-loaded): readings no later than the
        // latest already judged are stored without alerts, so the history adds means, not alarms.
        const history = join(opts.samples, 'history');
        const files = existsSync(opts.samples) ? [...filesIn(opts.samples), ...(existsSync(history) ? filesIn(history) : [])] : [];
        say(`Uploading ${files.length} sample files from ${opts.samples} to ${INCOMING_PREFIX} …`);
        for (const f of files) await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f));
        await pipe.idle();
        const outcomes = pipe.handled.filter((h) => h.outcome);
        const done = outcomes.filter((h) => h.outcome?.status === 'done').length;
        const dup = outcomes.filter((h) => h.outcome?.status === 'duplicate').length;
        const failed = outcomes.filter((h) => h.outcome?.status === 'failed').length;
        const summary = {
          dataDir: opts.dataDir, files: { uploaded: files.length, ingested: done, alreadyIngested: dup, quarantined: failed, deadLettered: pipe.queue.deadLetters.length },
          samplesStored: tally.total, gradesBySite: tally.toJSON(),
          alerts: notifications.map((n) => ({ topic: n.topic, ...n.attributes, sms: n.sms })),
        };
        if (opts.json) io.out(JSON.stringify(summary, null, 2));
        else {
          say('');
          say('Summary');
          say(`  files: ${files.length} uploaded — ${done} ingested, ${dup} already ingested earlier (skipped), ${failed} quarantined, ${pipe.queue.deadLetters.length} dead-lettered`);
          say(`  samples stored this run: ${tally.total}`);
          if (tally.total > 0) say(tally.render(registry).split('\n').map((l) => `  ${l}`).join('\n'));
          say(`  alerts published: ${notifications.length}${notifications.length ? ' (npm run --silent bishui -- alerts)' : ''}`);
        }
        if (opts.once) return;
        // As the stack's schedule does: every hour, announce online stations that have gone silent.
        const watchdog = setInterval(() => { void pipe.watchdog(Date.now()).catch((err: Error) => say(`  ! watchdog: ${err.message}`)); }, 3_600_000);
        try {
          await watch(pipe, opts.drop, say);
        } finally {
          clearInterval(watchdog);
        }
      } finally {
        removeRuntime();
        await pipe.close();
      }
    });

  withData(program.command('ingest'))
    .description('put files through the local S3 → queue → handler path and show each file\'s ledger outcome')
    .argument('<files...>', 'files to ingest')
    .option('--json', 'print the ledger entries as JSON')
    .action(async (files: string[], opts: CommonOpts) => {
      const registry = loadRegistryOption(opts.sites);
      for (const f of files) if (!existsSync(f) || !statSync(f).isFile()) throw new Error(`no such file: ${f}`);
      const running = runningRuntime(opts.dataDir);
      const entries: LedgerEntry[] = [];
      if (running) {
        const s3 = localS3Client(running.s3Endpoint);
        const ledger = new DynamoFileLedger(documentClient(localDynamoClient(running.dynamoEndpoint)), LOCAL_TABLE);
        for (const f of files) {
          const key = `${INCOMING_PREFIX}${basename(f)}`;
          const res = await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: readFileSync(f) }));
          entries.push(await waitForLedger(ledger, `${LOCAL_BUCKET}/${key}`, (res.ETag ?? '').replace(/"/g, '')));
        }
      } else {
        const say = (t: string) => { if (!opts.json) io.out(t); };
        const pipe = await pipelineFor({ ...opts, s3Port: 0, dynamoPort: 0 }, registry, (e) => {
          if (e.type === 'notification') say(notificationLine(e.notification));
        }, [new Progress(say)]);
        try {
          const refs = [];
          for (const f of files) refs.push(await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f)));
          await pipe.idle();
          for (const r of refs) {
            const e = await pipe.ledger.get(`${r.bucket}/${r.key}`, r.etag);
            if (e) entries.push(e);
          }
        } finally {
          await pipe.close();
        }
      }
      if (opts.json) io.out(JSON.stringify({ files: entries }, null, 2));
      else for (const e of entries) io.out(ledgerLine(e, e.key));
      io.setExit(entries.some((e) => e.status !== 'done') ? 2 : 0);
    });

  withData(program.command('watchdog'))
    .description('check the online stations for silence now (or at --at), as the hourly watchdog function does')
    .option('--at <iso>', 'judge as of this time instead of now, e.g. 2023-07-20T08:00:00+08:00')
    .option('--json', 'print JSON')
    .action(async (opts: CommonOpts & { at?: string }) => {
      const registry = loadRegistryOption(opts.sites);
      const now = opts.at === undefined ? Date.now() : parseTime(opts.at);
      if (now === null) throw new Error(`--at '${opts.at}' is not a time (expected e.g. 2023-07-20 or 2023-07-20T08:00:00+08:00)`);
      if (runningRuntime(opts.dataDir)) throw new Error(`bishui start is running for ${opts.dataDir} and runs the watchdog itself every hour; stop it to run one by hand`);
      if (!existsSync(join(opts.dataDir, 'dynamodb'))) throw new Error(`no local data in ${opts.dataDir}/ yet: run npm start (or bishui ingest FILE) first`);
      const published: Notification[] = [];
      const pipe = await LocalPipeline.start({
        dataDir: opts.dataDir, registry, s3Port: 0, dynamoPort: 0,
        onEvent: (e) => { if (e.type === 'notification') published.push(e.notification); },
      });
      try {
        const status = await pipe.watchdog(now);
        const hoursSince = (t: number | undefined) => (t === undefined ? null : Math.floor((now - t) / 3_600_000));
        if (opts.json) {
          io.out(JSON.stringify({
            at: new Date(now).toISOString(),
            stations: status.map((x) => ({ site: x.site, latest: x.latest === undefined ? null : formatInstant(x.latest), hoursSilent: hoursSince(x.latest) })),
            published: published.map((n) => ({ topic: n.topic, ...n.attributes, sms: n.sms })),
          }, null, 2));
        } else {
          io.out(renderTable(['site', 'latest sample', 'hours since'], status.map((x) => [
            x.site, x.latest === undefined ? '(none stored)' : formatInstant(x.latest).slice(0, 16).replace('T', ' '), String(hoursSince(x.latest) ?? '—'),
          ])));
          for (const n of published) io.out(notificationLine(n));
          io.out(`  alerts published: ${published.length}`);
        }
      } finally {
        await pipe.close();
      }
    });

  withData(program.command('query'))
    .description('stored samples of a site, in the sample shape of evaluate --json')
    .requiredOption('--site <id>', 'site id, name or alias')
    .option('--from <iso>', 'from this time (inclusive)')
    .option('--to <iso>', 'to this time (inclusive)')
    .option('--json', 'print JSON')
    .action(async (opts: CommonOpts & { site: string; from?: string; to?: string }) => {
      const registry = loadRegistryOption(opts.sites);
      const site = registry.resolve(opts.site);
      const bound = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const t = parseTime(v);
        if (t === null) throw new Error(`--${name} '${v}' is not a time (expected e.g. 2023-07-15 or 2023-07-15T08:00:00+08:00)`);
        return t;
      };
      const from = bound(opts.from, 'from');
      const to = bound(opts.to, 'to');
      const { store, close } = await storeFor(opts.dataDir);
      try {
        const samples = [];
        for await (const s of store.querySite(site.id, from, to)) samples.push(sampleView(s.sample, evaluateSample(s.sample, registry.resolve(s.sample.site))));
        if (opts.json) io.out(JSON.stringify({ site: site.id, registered: site.registered, samples }, null, 2));
        else io.out(samples.length === 0 ? `no stored samples for ${site.id}${from || to ? ' in that range' : ''}` : renderSamples(samples));
      } finally {
        await close();
      }
    });

  program.command('samples')
    .description('write generated sample data (a believable year for the four sites)')
    .option('--out <dir>', 'output folder', 'generated-samples')
    .option('--year <year>', 'year', (v) => Number(v), 2023)
    .option('--months <list>', 'months, e.g. 7 or 6,7,8 (default: all)')
    .option('--daily', 'daily-mean exports and manual reports instead of hourly files')
    .option('--history', 'the shipped history (samples/history/): Aug 2021 – Jun 2023 as daily-mean exports')
    .action((opts: { out: string; year: number; months?: string; daily?: boolean; history?: boolean }) => {
      const months = opts.months?.split(',').map(Number);
      const written = opts.history ? generateHistory(opts.out)
        : generateSamples({ outDir: opts.out, year: opts.year, ...(months ? { months } : {}), ...(opts.daily ? { form: 'daily' as const } : {}) });
      io.out(written.map((f) => `  ${f}`).join('\n'));
    });
}

export async function storeFor(dataDir: string): Promise<{ store: DynamoSampleStore; ledger: DynamoFileLedger; close: () => Promise<void> }> {
  const running = runningRuntime(dataDir);
  if (running) {
    const doc = documentClient(localDynamoClient(running.dynamoEndpoint));
    return { store: new DynamoSampleStore(doc, LOCAL_TABLE), ledger: new DynamoFileLedger(doc, LOCAL_TABLE), close: async () => doc.destroy() };
  }
  if (!existsSync(join(dataDir, 'dynamodb'))) throw new Error(`no local data in ${dataDir}/ yet: run npm start (or bishui ingest FILE) first`);
  const pipe = await LocalPipeline.start({ dataDir, s3Port: 0, dynamoPort: 0 });
  return { store: pipe.store, ledger: pipe.ledger, close: () => pipe.close() };
}

async function waitForLedger(ledger: DynamoFileLedger, fileId: string, version: string, timeoutMs = 600_000): Promise<LedgerEntry> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = await ledger.get(fileId, version);
    if (e && e.status !== 'processing') return e;
    if (Date.now() > until) throw new Error(`${fileId} was not processed within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Watches the drop folder (new or changed files are uploaded to incoming/) until Ctrl-C. */
async function watch(pipe: LocalPipeline, dropDir: string, say: (s: string) => void): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dropDir, { recursive: true });
  say('');
  say(`Watching ${dropDir}/ and s3://${LOCAL_BUCKET}/${INCOMING_PREFIX} — try:`);
  say(`  cp some-export.csv ${dropDir}/`);
  say(`  aws s3 cp some-export.csv s3://${LOCAL_BUCKET}/${INCOMING_PREFIX} --endpoint-url ${pipe.emulators.s3Endpoint}   (any credentials)`);
  say('Ctrl-C to stop.');
  const seen = new Map<string, string>();
  const pending = new Map<string, string>();
  const scan = async () => {
    for (const f of filesIn(dropDir)) {
      const st = statSync(f);
      const sig = `${st.size}:${st.mtimeMs}`;
      if (seen.get(f) === sig) continue;
      if (pending.get(f) !== sig) { pending.set(f, sig); continue; } // wait until it stops changing
      pending.delete(f);
      seen.set(f, sig);
      say(`  → ${basename(f)} dropped; uploading to ${INCOMING_PREFIX}`);
      await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f));
    }
  };
  await new Promise<void>((resolveStop) => {
    const timer = setInterval(() => { void scan().catch((e: Error) => say(`  ! ${e.message}`)); }, 1000);
    const stop = () => { clearInterval(timer); say('stopping…'); resolveStop(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}


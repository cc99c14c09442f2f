/** `bishui start` (the README's main job): emulators, the shipped samples, a summary, then watch drop/ and the local S3. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { INCOMING_PREFIX } from '../../shared/layout.js';
import type { Notification } from '../../shared/ports/index.js';
import { LOCAL_BUCKET, LOCAL_TABLE, PortInUseError } from '../runtime/emulators.js';
import { DONE_FOLDER, FAILED_FOLDER, filesIn, watchDropFolder } from '../runtime/drop-folder.js';
import { LocalPipeline } from '../runtime/pipeline.js';
import { runningRuntime, writeRuntime } from '../runtime/runtime-file.js';
import { UsageError, portArg } from './arguments.js';
import { type CliIo, loadRegistryOption, loadSupervisionOption } from './io.js';
import { latestCompleteMonth } from '../../shared/supervision/latest-month.js';
import { continuedLine, ledgerLine, notificationLine } from './lines.js';
import { type DataOptions, withData } from './options.js';
import { GradeTally, Progress } from './tally.js';

const REPO_SAMPLES = resolve(import.meta.dirname, '../../samples');
const WATCHDOG_EVERY_MS = 3_600_000;

interface StartOptions extends DataOptions { once?: boolean; samples: string; drop: string; s3Port: number; dynamoPort: number; supervision?: string }

/** The latest complete month's bulletin as start made it, or why it could not. */
type BulletinMade =
  | { readonly month: string; readonly html: string; readonly json: string; readonly letters: readonly string[] }
  | { readonly month: string | null; readonly error: string };

export function registerStart(program: Command, io: CliIo): void {
  withData(program.command('start'))
    .description('run the pipeline locally: emulators, the shipped samples, a summary, then watch drop/ and the local S3 until Ctrl-C')
    .option('--once', 'process the samples, print the summary and exit')
    .option('--samples <dir>', 'folder of files to upload first', REPO_SAMPLES)
    .option('--drop <dir>', 'folder to watch for new files', 'drop')
    .option('--s3-port <port>', 'port of the local S3 (for aws s3 cp --endpoint-url); 0 picks a free one', portArg, 4569)
    .option('--dynamo-port <port>', 'port of the local DynamoDB; 0 picks a free one', portArg, 4567)
    .option('--supervision <file>', 'supervision settings for the bulletin (default: config/supervision.json or $BISHUI_SUPERVISION)')
    .option('--json', 'print the summary as JSON')
    .action((opts: StartOptions) => start(opts, io));
}

async function start(opts: StartOptions, io: CliIo): Promise<void> {
  const registry = loadRegistryOption(opts.sites);
  const supervisionConfig = loadSupervisionOption(opts.supervision);
  if (runningRuntime(opts.dataDir)) throw new Error(`bishui start is already running for ${opts.dataDir}; stop it first or use another --data-dir`);
  if (!existsSync(opts.samples) || !statSync(opts.samples).isDirectory()) throw new UsageError(`--samples ${opts.samples}: no such folder (expected a folder of monitoring files)`);
  const tally = new GradeTally();
  const notifications: Notification[] = [];
  const say = (s: string) => { if (!opts.json) io.out(s); };
  const pipe = await LocalPipeline.start({
    dataDir: opts.dataDir, registry, supervisionConfig, s3Port: opts.s3Port, dynamoPort: opts.dynamoPort, listeners: [tally, new Progress(say)],
    onEvent: (e) => {
      if (e.type === 'notification') { notifications.push(e.notification); say(notificationLine(e.notification)); }
      const outcome = e.type === 'handled' ? e.handled.outcome : undefined;
      if (e.type === 'handled' && outcome?.status === 'continued') say(continuedLine(e.handled.ref.key, outcome.events, outcome.continuations));
      else if (e.type === 'handled' && outcome && 'entry' in outcome) say(ledgerLine(outcome.entry, e.handled.ref.key, outcome.status !== 'duplicate'));
      if (e.type === 'handled' && e.handled.error) say(`  ! ${e.handled.ref.key}: ${e.handled.error} (will be retried)`);
    },
  }).catch((err: Error) => {
    if (!(err instanceof PortInUseError)) throw err;
    const flag = err.service === 'S3' ? '--s3-port' : '--dynamo-port';
    throw new Error(`${err.message}: another bishui start is running, or another program holds it (or pass ${flag} 0 for a free port)`);
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
    const files = [...filesIn(opts.samples), ...(existsSync(history) ? filesIn(history) : [])];
    say(`Uploading ${files.length} sample files from ${opts.samples} to ${INCOMING_PREFIX} …`);
    for (const f of files) await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f));
    await pipe.idle();
    const bulletin = await latestBulletin(pipe, registry);
    printSummary(pipe, files.length, tally, notifications, bulletin, registry, opts, io, say);
    if (opts.once) return;
    // As the stack's schedule does: every hour, announce online stations that have gone silent.
    const watchdog = setInterval(() => { void pipe.watchdog(Date.now()).catch((err: Error) => say(`  ! watchdog: ${err.message}`)); }, WATCHDOG_EVERY_MS);
    try {
      say('');
      say(`Watching ${opts.drop}/ and s3://${LOCAL_BUCKET}/${INCOMING_PREFIX} — try:`);
      say(`  cp some-export.csv ${opts.drop}/      (moved to ${opts.drop}/${DONE_FOLDER}/ once ingested, or ${opts.drop}/${FAILED_FOLDER}/ with the reason)`);
      say(`  aws s3 cp some-export.csv s3://${LOCAL_BUCKET}/${INCOMING_PREFIX} --endpoint-url ${pipe.emulators.s3Endpoint}   (any credentials)`);
      say('Ctrl-C to stop.');
      await watchDropFolder(pipe, opts.drop, say, untilInterrupted(() => say('stopping…')));
    } finally {
      clearInterval(watchdog);
    }
  } finally {
    removeRuntime();
    await pipe.close();
  }
}

/**
 * The bulletin of the latest complete month with data, written under <data dir>/reports/ as the
 * monthly run writes it; announcing it is the scheduled run's job (and `bishui report`'s), not start's.
 */
async function latestBulletin(pipe: LocalPipeline, registry: ReturnType<typeof loadRegistryOption>): Promise<BulletinMade | null> {
  let month: string | null = null;
  try {
    month = await latestCompleteMonth(pipe.store, registry, Date.now());
    if (month === null) return null;
    const { locations } = await pipe.supervision(month, { publish: false });
    return { month, ...locations };
  } catch (err) {
    return { month, error: (err as Error).message };
  }
}

function printSummary(
  pipe: LocalPipeline, uploaded: number, tally: GradeTally, notifications: readonly Notification[], bulletin: BulletinMade | null,
  registry: ReturnType<typeof loadRegistryOption>, opts: StartOptions, io: CliIo, say: (s: string) => void,
): void {
  const outcomes = pipe.handled.filter((h) => h.outcome);
  const count = (status: string) => outcomes.filter((h) => h.outcome?.status === status).length;
  const [done, dup, failed, dead] = [count('done'), count('duplicate'), count('failed'), pipe.queue.deadLetters.length];
  if (opts.json) {
    io.out(JSON.stringify({
      dataDir: opts.dataDir, files: { uploaded, ingested: done, alreadyIngested: dup, quarantined: failed, deadLettered: dead },
      samplesStored: tally.total, gradesBySite: tally.toJSON(),
      alerts: notifications.map((n) => ({ topic: n.topic, ...n.attributes, sms: n.sms })),
      bulletin,
    }, null, 2));
    return;
  }
  say('');
  say('Summary');
  say(`  files: ${uploaded} uploaded — ${done} ingested, ${dup} already ingested earlier (skipped), ${failed} quarantined, ${dead} dead-lettered`);
  say(`  samples stored this run: ${tally.total}`);
  if (tally.total > 0) say(tally.render(registry).split('\n').map((l) => `  ${l}`).join('\n'));
  say(`  alerts published: ${notifications.length}${notifications.length ? ' (npm run --silent bishui -- alerts)' : ''}`);
  if (bulletin === null) say('  monthly bulletin: no data for a complete month yet');
  else if ('error' in bulletin) say(`  ! monthly bulletin${bulletin.month ? ` ${bulletin.month}` : ''}: ${bulletin.error}`);
  else {
    say(`  monthly bulletin ${bulletin.month} (the latest complete month): ${bulletin.html}`);
    say(`    with bulletin.json and ${bulletin.letters.length} letter(s); again, or another month: npm run --silent bishui -- report --month ${bulletin.month}`);
  }
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilInterrupted(onStop: () => void): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = () => { onStop(); resolveStop(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

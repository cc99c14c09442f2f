/**
 * `bishui watchdog [--at ISO]`: the online stations checked for silence, as the hourly watchdog
 * function does — beside a running `bishui start` through its runtime file (its emulators and its
 * outbox), or on emulators of its own over the data dir. Judged by each station's online readings
 * before the time (shared/alerts/online.ts): a manual sample or a later reading does not count.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { compose } from '../../functions/commons/composition-root.js';
import { FileOutboxPublisher } from '../../shared/adapters/file-outbox-publisher.js';
import type { StationStatus } from '../../shared/alerts/watchdog.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { formatInstant, parseTime } from '../../shared/domain/time.js';
import type { Notification } from '../../shared/ports/index.js';
import { localDynamoClient, localS3Client } from '../runtime/emulators.js';
import { LocalPipeline, localConfig } from '../runtime/pipeline.js';
import { runningRuntime } from '../runtime/runtime-file.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { notificationLine } from './lines.js';
import { type DataOptions, withData } from './options.js';
import { renderTable } from './table.js';

type Run = (at: number) => Promise<StationStatus[]>;

/** Runs `work` with the watchdog wired to a running `start` when there is one, else to emulators of its own. */
async function withWatchdog<T>(dataDir: string, registry: SiteRegistry, published: Notification[], work: (run: Run) => Promise<T>): Promise<T> {
  const onPublish = (n: Notification) => published.push(n);
  const running = runningRuntime(dataDir);
  if (running) {
    const dynamo = localDynamoClient(running.dynamoEndpoint);
    const s3 = localS3Client(running.s3Endpoint);
    const services = compose(localConfig(), { dynamo, s3, publisher: new FileOutboxPublisher(running.outboxPath, onPublish) }, { registry });
    try {
      return await work(async (at) => (await services.watchdog(at)).stations);
    } finally {
      dynamo.destroy();
      s3.destroy();
    }
  }
  if (!existsSync(join(dataDir, 'dynamodb'))) throw new Error(`no local data in ${dataDir}/ yet: run npm start (or bishui ingest FILE) first`);
  const pipe = await LocalPipeline.start({
    dataDir, registry, s3Port: 0, dynamoPort: 0,
    onEvent: (e) => { if (e.type === 'notification') onPublish(e.notification); },
  });
  try {
    return await work((at) => pipe.watchdog(at));
  } finally {
    await pipe.close();
  }
}

/** Silent for: hours up to 48 h, days beyond (as the messages say it). */
function silentFor(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours <= 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

export function registerWatchdog(program: Command, io: CliIo): void {
  withData(program.command('watchdog'))
    .description('check the online stations for silence now (or at --at), as the hourly watchdog function does')
    .option('--at <iso>', 'judge as of this time instead of now, e.g. 2023-07-20T08:00:00+08:00 (later readings are ignored)')
    .option('--json', 'print JSON')
    .action(async (opts: DataOptions & { at?: string }) => {
      const registry = loadRegistryOption(opts.sites);
      const now = opts.at === undefined ? Date.now() : parseTime(opts.at);
      if (now === null) throw new Error(`--at '${opts.at}' is not a time (expected e.g. 2023-07-20 or 2023-07-20T08:00:00+08:00)`);
      const published: Notification[] = [];
      const status = await withWatchdog(opts.dataDir, registry, published, (run) => run(now));
      const since = (t: number | undefined) => (t === undefined ? null : now - t);
      if (opts.json) {
        io.out(JSON.stringify({
          at: new Date(now).toISOString(),
          stations: status.map((x) => ({
            site: x.site, latest: x.latest === undefined ? null : formatInstant(x.latest), silent: x.silent,
            hoursSilent: x.latest === undefined ? null : Math.floor((now - x.latest) / 3_600_000),
          })),
          published: published.map((n) => ({ topic: n.topic, ...n.attributes, sms: n.sms })),
        }, null, 2));
        return;
      }
      io.out(renderTable(['site', 'latest online reading', 'silent for', 'silent'], status.map((x) => [
        x.site, x.latest === undefined ? '(none recorded)' : formatInstant(x.latest).slice(0, 16).replace('T', ' '),
        x.latest === undefined ? '—' : silentFor(since(x.latest) as number), x.silent ? 'yes' : 'no',
      ])));
      for (const n of published) io.out(notificationLine(n));
      io.out(`  alerts published: ${published.length}`);
    });
}

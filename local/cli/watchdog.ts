/** `bishui watchdog [--at ISO]`: the online stations checked for silence, as the hourly watchdog function does. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatInstant, parseTime } from '../../shared/domain/time.js';
import type { Notification } from '../../shared/ports/index.js';
import { LocalPipeline } from '../runtime/pipeline.js';
import { runningRuntime } from '../runtime/runtime-file.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { notificationLine } from './lines.js';
import { type DataOptions, withData } from './options.js';
import { renderTable } from './table.js';

export function registerWatchdog(program: Command, io: CliIo): void {
  withData(program.command('watchdog'))
    .description('check the online stations for silence now (or at --at), as the hourly watchdog function does')
    .option('--at <iso>', 'judge as of this time instead of now, e.g. 2023-07-20T08:00:00+08:00')
    .option('--json', 'print JSON')
    .action(async (opts: DataOptions & { at?: string }) => {
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
}

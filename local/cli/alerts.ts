/** `bishui alerts`: what the local pipeline published, from the outbox (the exact PublishCommand inputs). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runningRuntime } from '../runtime/runtime-file.js';
import type { CliIo } from './io.js';
import { renderTable } from './table.js';

interface PublishInput {
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes: Record<string, { StringValue?: string }>;
}

export function readOutbox(path: string): PublishInput[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l) as PublishInput;
    } catch {
      throw new Error(`${path}:${i + 1} is not a JSON line`);
    }
  });
}

export function registerAlerts(program: Command, io: CliIo): void {
  program.command('alerts')
    .description('list the alerts the local pipeline published (its SNS outbox)')
    .option('--data-dir <dir>', 'the local data dir', '.bishui')
    .option('--json', 'print the PublishCommand inputs as JSON')
    .action((opts: { dataDir: string; json?: boolean }) => {
      const path = runningRuntime(opts.dataDir)?.outboxPath ?? join(opts.dataDir, 'outbox.jsonl');
      const messages = readOutbox(path);
      if (opts.json) {
        io.out(JSON.stringify({ outbox: path, alerts: messages }, null, 2));
        return;
      }
      if (messages.length === 0) {
        io.out(`no alerts in ${path}`);
        return;
      }
      const attr = (m: PublishInput, k: string) => m.MessageAttributes[k]?.StringValue ?? '';
      io.out(renderTable(['topic', 'kind', 'severity', 'site', 'param', 'sms'], messages.map((m) => [
        m.TopicArn.split('-').pop() ?? '', attr(m, 'kind'), attr(m, 'severity'), attr(m, 'site'), attr(m, 'param'),
        (JSON.parse(m.Message) as { sms: string }).sms,
      ])));
    });
}

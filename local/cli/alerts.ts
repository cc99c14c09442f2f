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
  MessageAttributes: Record<string, { DataType?: string; StringValue?: string }>;
}

/** An attribute as text: a String.Array (a digest's kinds, a reading's indicators) as a, b. */
function attrText(m: PublishInput, k: string): string {
  const a = m.MessageAttributes[k];
  if (a?.DataType !== 'String.Array') return a?.StringValue ?? '';
  try {
    return (JSON.parse(a.StringValue ?? '[]') as string[]).join(', ');
  } catch {
    return a.StringValue ?? '';
  }
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
      io.out(renderTable(['topic', 'kind', 'severity', 'site', 'param', 'sms'], messages.map((m) => [
        m.TopicArn.split('-').pop() ?? '', attrText(m, 'kind'), attrText(m, 'severity'), attrText(m, 'site'), attrText(m, 'param'),
        (JSON.parse(m.Message) as { sms: string }).sms,
      ])));
    });
}

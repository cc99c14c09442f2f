/**
 * `bishui` — the local door to everything: `npm run --silent bishui -- <command>`.
 */
import { once } from 'node:events';
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerAlerts } from './alerts.js';
import { UsageError } from './arguments.js';
import { registerEvaluate } from './evaluate.js';
import { registerIngest } from './ingest.js';
import { registerQuery } from './query.js';
import { registerReport } from './report.js';
import { registerSamples } from './samples.js';
import { registerSites } from './sites.js';
import { registerStart } from './start.js';
import { registerWatchdog } from './watchdog.js';
import type { CliIo } from './io.js';
import { terminalSafe } from './terminal-text.js';

/** Exit status of a bad argument, an unknown option or command (a usage error). */
export const EXIT_USAGE = 2;

export function buildProgram(io: CliIo): Command {
  const program = new Command('bishui')
    .description('碧水 bishui — surface-water monitoring pipeline (GB 3838-2002), locally')
    .version(packageJson.version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      // "error: unknown option '--nope'" and its "(Did you mean --json?)" on one line
      outputError: (s, write) => write(terminalSafe(s.trim().split('\n').join(' '))),
    });
  registerEvaluate(program, io);
  registerStart(program, io);
  registerIngest(program, io);
  registerWatchdog(program, io);
  registerQuery(program, io);
  registerSites(program, io);
  registerSamples(program, io);
  registerAlerts(program, io);
  registerReport(program, io);
  return program;
}

/** The process's own stdout and stderr; `write` waits for the pipe to drain. */
function processIo(setExit: (c: number) => void): CliIo {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    async write(chunk) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    },
    setExit,
  };
}

/**
 * Runs the CLI; returns the exit status: 0, 1 when the command failed, 2 for a usage error.
 * Errors become one clear line, never a stack trace.
 */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  let exit = 0;
  const sink: CliIo = io ?? processIo((c) => { exit = c; });
  const wrapped: CliIo = { ...sink, setExit: (c) => { exit = c; sink.setExit(c); } };
  try {
    await buildProgram(wrapped).parseAsync([...argv]);
  } catch (err) {
    // commander has printed its own one-line message (or the help or version asked for)
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    // The reader went away (`bishui evaluate f --json | head`): what it wanted it has; say nothing.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return exit;
    wrapped.err(`bishui: ${oneLine((err as Error).message)}`);
    return err instanceof UsageError ? EXIT_USAGE : 1;
  }
  return exit;
}

/** An error's message on one line, control characters (from file names or contents) escaped. */
function oneLine(message: string): string {
  return String(message).split('\n').map((l) => terminalSafe(l.trim())).filter((l) => l !== '').join(' — ');
}

/**
 * `bishui` — the local door to everything: `npm run --silent bishui -- <command>`.
 */
import { Command, CommanderError } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerEvaluate } from './evaluate.js';
import { registerIngest } from './ingest.js';
import { registerQuery } from './query.js';
import { registerReport } from './report.js';
import { registerSamples } from './samples.js';
import { registerStart } from './start.js';
import { registerWatchdog } from './watchdog.js';
import type { CliIo } from './io.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('bishui')
    .description('碧水 bishui — surface-water monitoring pipeline (GB 3838-2002), locally')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerEvaluate(program, io);
  registerStart(program, io);
  registerIngest(program, io);
  registerWatchdog(program, io);
  registerQuery(program, io);
  registerSamples(program, io);
  registerAlerts(program, io);
  registerReport(program, io);
  return program;
}

/** Runs the CLI; returns the exit status. Errors become one clear line, never a stack trace. */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  let exit = 0;
  const sink: CliIo = io ?? {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    setExit: (c) => { exit = c; },
  };
  const wrapped: CliIo = { ...sink, setExit: (c) => { exit = c; sink.setExit(c); } };
  try {
    await buildProgram(wrapped).parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    wrapped.err(`bishui: ${(err as Error).message}`);
    return 1;
  }
  return exit;
}

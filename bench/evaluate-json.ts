/**
 * `bishui evaluate FILE --json` as a person runs it (the CLI's own entry, its output to /dev/null),
 * in a fresh process: time, output size and peak RSS. The goal is flat memory: the document is
 * streamed (local/cli/json-document.ts), so RSS must not grow with the input.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { devNull } from 'node:os';
import { main } from '../local/cli/main.js';

export interface EvaluateJsonFigures { seconds: number; cpuSeconds: number; outputBytes: number; exitCode: number; maxRssMB: number }

export async function evaluateJsonChild(file: string): Promise<EvaluateJsonFigures> {
  const sink = createWriteStream(devNull);
  let outputBytes = 0;
  const t0 = process.hrtime.bigint();
  const exitCode = await main(['node', 'bishui', 'evaluate', file, '--json'], {
    out: (t) => { outputBytes += Buffer.byteLength(t) + 1; sink.write(`${t}\n`); },
    err: (t) => process.stderr.write(`${t}\n`),
    async write(chunk) {
      outputBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (!sink.write(chunk)) await once(sink, 'drain');
    },
    setExit: () => {},
  });
  sink.end();
  await once(sink, 'finish');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, outputBytes, exitCode, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

/** Runs the bishui CLI in-process and captures what it prints. */
import { main } from '../../local/cli/main.js';

export interface CliRun { code: number; stdout: string; stderr: string }

export async function runCli(...args: string[]): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const code = await main(['node', 'bishui', ...args], {
    out: (t) => out.push(Buffer.from(`${t}\n`)),
    err: (t) => err.push(t),
    write: async (c) => { out.push(Buffer.from(c)); },
    setExit: () => {},
  });
  // as lines: the last newline is the end of the last line
  return { code, stdout: Buffer.concat(out).toString('utf8').replace(/\n$/, ''), stderr: err.join('\n') };
}

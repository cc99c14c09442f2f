/** Runs the bishui CLI in-process and captures what it prints. */
import { main } from '../../local/cli/main.js';

export interface CliRun { code: number; stdout: string; stderr: string }

export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'bishui', ...args], {
    out: (t) => out.push(t), err: (t) => err.push(t), setExit: () => {},
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * While `bishui start` runs it leaves `runtime.json` in its data dir, so other commands (ingest,
 * query, alerts) use the running emulators instead of trying to open the same LevelDB twice.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';

const runtimeSchema = z.object({
  pid: z.number().check(z.int()),
  s3Endpoint: z.url(),
  dynamoEndpoint: z.url(),
  outboxPath: z.string(),
  startedAt: z.string(),
});
export type RuntimeInfo = z.infer<typeof runtimeSchema>;

const fileOf = (dataDir: string) => join(dataDir, 'runtime.json');

export function writeRuntime(dataDir: string, info: RuntimeInfo): () => void {
  writeFileSync(fileOf(dataDir), `${JSON.stringify(info, null, 2)}\n`);
  return () => rmSync(fileOf(dataDir), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running `bishui start` for this data dir, if there is one. A stale file is ignored. */
export function runningRuntime(dataDir: string): RuntimeInfo | undefined {
  const path = fileOf(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const info = runtimeSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    return info.pid !== process.pid && alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * While `bishui start` runs it leaves `runtime.json` in its data dir, so other commands (ingest,
 * query, alerts) use the running emulators instead of trying to open the same LevelDB twice.
 * Any process that runs emulators on a data dir holds `lock.json` there meanwhile: dynalite cannot
 * open a LevelDB another process has open, and would fail on its first request with an uncaught
 * "Database is closed", so a second one is told who holds the data dir instead.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Another process runs emulators on this data dir. */
export class DataDirBusyError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`the data dir ${dataDir}/ is in use by another bishui process (pid ${pid}); wait for it to finish or pass another --data-dir (if pid ${pid} is not bishui, remove ${join(dataDir, 'lock.json')})`);
  }
}

const lockOf = (dataDir: string) => join(dataDir, 'lock.json');

function lockHolder(dataDir: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(lockOf(dataDir), 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir for this process (created if need be) or fails with DataDirBusyError naming
 * the live process that has it; a lock left by a process that is gone is taken over. Returns the
 * release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockOf(dataDir);
  const body = `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, body, { flag: 'wx' }); // exclusive: of two processes starting at once, one wins
      return () => { if (lockHolder(dataDir) === process.pid) rmSync(path, { force: true }); };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = lockHolder(dataDir);
    if (holder !== undefined && alive(holder)) throw new DataDirBusyError(dataDir, holder);
    rmSync(path, { force: true }); // stale: its process is gone (or the file is unreadable)
  }
}

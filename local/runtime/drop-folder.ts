/**
 * Watches the drop folder: a new or changed file, once it stops changing, is uploaded to incoming/;
 * once the ledger has its outcome it moves to `done/` (ingested now or before) or `failed/` (with
 * the reason beside it as `<name>.error.txt`), so nothing is uploaded twice and the folder shows
 * what is still to do.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { INCOMING_PREFIX, type ObjectRef, fileIdOf } from '../../shared/layout.js';
import type { LedgerEntry } from '../../shared/ports/index.js';
import type { LocalPipeline } from './pipeline.js';

export const DONE_FOLDER = 'done';
export const FAILED_FOLDER = 'failed';

/** The files a folder holds for upload (hidden files, READMEs and sub-folders aside), in name order. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== 'README.md')
    .map((e) => join(dir, e.name)).sort();
}

export interface DropFolderOptions {
  /** How often the folder is looked at (a file is uploaded once two looks find it unchanged). */
  readonly pollMs?: number;
}

interface InFlight { readonly ref: ObjectRef; readonly sig: string }

const signature = (path: string) => {
  const st = statSync(path);
  return `${st.size}:${st.mtimeMs}`;
};

/** `name` in `dir`, or `name-2.ext`, `name-3.ext`… when a file of that name is already there. */
function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; existsSync(join(dir, candidate)) || existsSync(join(dir, `${candidate}.error.txt`)); n++) candidate = `${stem}-${n}${ext}`;
  return candidate;
}

/** Polls `dropDir` until `stop` resolves. */
export async function watchDropFolder(
  pipe: LocalPipeline, dropDir: string, say: (s: string) => void, stop: Promise<void>, options: DropFolderOptions = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  mkdirSync(dropDir, { recursive: true });
  const pending = new Map<string, string>(); // path → signature at the last look, until it stops changing
  const inFlight = new Map<string, InFlight>();
  const stuck = new Set<string>(); // path + signature of files that could not be moved: not uploaded again

  const move = (path: string, folder: string, reason?: string) => {
    const dir = join(dropDir, folder);
    mkdirSync(dir, { recursive: true });
    const name = freeName(dir, basename(path));
    renameSync(path, join(dir, name));
    if (reason !== undefined) writeFileSync(join(dir, `${name}.error.txt`), `${reason}\n`);
    say(`  → ${basename(path)} moved to ${join(dropDir, folder, name)}${reason !== undefined ? ` (reason in ${name}.error.txt)` : ''}`);
  };

  const scan = async () => {
    for (const f of filesIn(dropDir)) {
      if (inFlight.has(f)) continue;
      const sig = signature(f);
      if (stuck.has(`${f}\0${sig}`)) continue;
      if (pending.get(f) !== sig) { pending.set(f, sig); continue; } // wait until it stops changing
      pending.delete(f);
      say(`  → ${basename(f)} dropped; uploading to ${INCOMING_PREFIX}`);
      inFlight.set(f, { ref: await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, await readFile(f)), sig });
    }
  };

  const settle = async () => {
    for (const [path, { ref, sig }] of inFlight) {
      const entry = await pipe.ledger.get(fileIdOf(ref), ref.etag);
      const dead = entry?.status === 'done' || entry?.status === 'failed' ? undefined : pipe.deadLetterReason(ref.key);
      if (entry?.status !== 'done' && entry?.status !== 'failed' && dead === undefined) continue;
      inFlight.delete(path);
      if (!existsSync(path) || signature(path) !== sig) continue; // replaced meanwhile: the new content gets its own turn
      try {
        if (entry?.status === 'done') move(path, DONE_FOLDER);
        else move(path, FAILED_FOLDER, failureReason(entry, dead));
      } catch (err) {
        stuck.add(`${path}\0${sig}`);
        say(`  ! ${basename(path)} could not be moved out of ${dropDir}/: ${(err as Error).message}; it stays, and is not uploaded again while it is unchanged`);
      }
    }
  };

  let stopped = false;
  void stop.then(() => { stopped = true; });
  while (!stopped) {
    try {
      await scan();
      await settle();
    } catch (err) {
      say(`  ! ${dropDir}/: ${(err as Error).message}`);
    }
    await Promise.race([stop, new Promise((r) => setTimeout(r, pollMs))]);
  }
}

function failureReason(entry: LedgerEntry | undefined, deadLetter: string | undefined): string {
  if (entry?.status === 'failed' && entry.deadLetteredAt) return `dead-lettered: ${entry.error ?? 'failed on every delivery'}`;
  if (entry?.status === 'failed') {
    return `${entry.error ?? 'not monitoring data'}${entry.quarantineKey ? `\nquarantined copy: s3://${entry.bucket}/${entry.quarantineKey}` : ''}`;
  }
  return `dead-lettered: ${deadLetter ?? 'failed on every delivery'}`;
}

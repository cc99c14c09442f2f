/** Watches the drop folder: a new or changed file, once it stops changing, is uploaded to incoming/. */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { INCOMING_PREFIX } from '../../shared/layout.js';
import type { LocalPipeline } from './pipeline.js';

/** The files a folder holds for upload (hidden files and READMEs aside), in name order. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== 'README.md')
    .map((e) => join(dir, e.name)).sort();
}

/** Polls `dropDir` every second until `stop` resolves. */
export async function watchDropFolder(pipe: LocalPipeline, dropDir: string, say: (s: string) => void, stop: Promise<void>): Promise<void> {
  mkdirSync(dropDir, { recursive: true });
  const seen = new Map<string, string>();
  const pending = new Map<string, string>();
  const scan = async () => {
    for (const f of filesIn(dropDir)) {
      const st = statSync(f);
      const sig = `${st.size}:${st.mtimeMs}`;
      if (seen.get(f) === sig) continue;
      if (pending.get(f) !== sig) { pending.set(f, sig); continue; } // wait until it stops changing
      pending.delete(f);
      seen.set(f, sig);
      say(`  → ${basename(f)} dropped; uploading to ${INCOMING_PREFIX}`);
      await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f));
    }
  };
  const timer = setInterval(() => { void scan().catch((e: Error) => say(`  ! ${e.message}`)); }, 1000);
  try {
    await stop;
  } finally {
    clearInterval(timer);
  }
}

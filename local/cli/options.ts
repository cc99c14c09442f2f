/** Options several local commands share. */
import type { Command } from 'commander';
import { DEFAULT_DATA_DIR } from './local-store.js';

export interface DataOptions { dataDir: string; sites?: string; json?: boolean }

/** `--data-dir` and `--sites`, as every command on the local data takes them. */
export function withData(c: Command): Command {
  return c
    .option('--data-dir <dir>', 'where the local emulators keep their data', DEFAULT_DATA_DIR)
    .option('--sites <file>', 'site registry (default: config/sites.json or $BISHUI_SITES)');
}

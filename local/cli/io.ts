/** What a CLI command may touch of the outside world, so tests can run commands in-process. */
import { defaultRegistry, loadRegistry } from '../../shared/config/registry.js';
import { type SupervisionConfig, defaultSupervisionConfig, loadSupervisionConfig } from '../../shared/config/supervision.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import { UsageError } from './arguments.js';

/**
 * Where a command's output goes. Rule for every command: what a command reports — each file's
 * outcome included, a file that could not be read among them — goes to `out`, once; `err` carries
 * only what stops the command as a whole (a bad argument, no local data), one line.
 */
export interface CliIo {
  /** One or more whole lines (a newline is added). */
  out(text: string): void;
  err(text: string): void;
  /** Raw output, no newline added; resolves when the sink can take more (large documents). */
  write(chunk: string | Uint8Array): Promise<void>;
  setExit(code: number): void;
}

export function loadRegistryOption(path: string | undefined): SiteRegistry {
  const p = path ?? process.env.BISHUI_SITES;
  if (!p) return defaultRegistry();
  try {
    return loadRegistry(p);
  } catch (err) {
    throw new UsageError(`${path ? '--sites' : '$BISHUI_SITES'}: ${(err as Error).message} (expected a site registry JSON file like config/sites.json)`);
  }
}

/** `--supervision FILE`, else $BISHUI_SUPERVISION (as the functions read it), else config/supervision.json. */
export function loadSupervisionOption(path: string | undefined): SupervisionConfig {
  const p = path ?? process.env.BISHUI_SUPERVISION;
  return p ? loadSupervisionConfig(p) : defaultSupervisionConfig();
}

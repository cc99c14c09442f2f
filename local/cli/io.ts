/** What a CLI command may touch of the outside world, so tests can run commands in-process. */
import { defaultRegistry, loadRegistry } from '../../shared/config/registry.js';
import { type SupervisionConfig, defaultSupervisionConfig, loadSupervisionConfig } from '../../shared/config/supervision.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

export function loadRegistryOption(path: string | undefined): SiteRegistry {
  const p = path ?? process.env.BISHUI_SITES;
  return p ? loadRegistry(p) : defaultRegistry();
}

/** `--supervision FILE`, else $BISHUI_SUPERVISION (as the functions read it), else config/supervision.json. */
export function loadSupervisionOption(path: string | undefined): SupervisionConfig {
  const p = path ?? process.env.BISHUI_SUPERVISION;
  return p ? loadSupervisionConfig(p) : defaultSupervisionConfig();
}

/** What a CLI command may touch of the outside world, so tests can run commands in-process. */
import { defaultRegistry, loadRegistry } from '../../shared/config/registry.js';
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

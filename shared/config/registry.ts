/**
 * Where the site registry comes from: the repo's config/sites.json, bundled into every function,
 * or a file named by BISHUI_SITES (functions) / --sites (CLI) for a different zone.
 */
import { readFileSync } from 'node:fs';
import defaultSites from '../../config/sites.json' with { type: 'json' };
import { SiteRegistry } from '../domain/sites.js';

let cached: SiteRegistry | undefined;

export function defaultRegistry(): SiteRegistry {
  cached ??= SiteRegistry.parse(defaultSites, 'config/sites.json');
  return cached;
}

export function loadRegistry(path: string): SiteRegistry {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read site registry ${path}: ${(err as Error).message}`);
  }
  return SiteRegistry.parse(json, path);
}

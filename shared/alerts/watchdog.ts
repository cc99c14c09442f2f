/**
 * The scheduled watchdog: every online station (one with an HJ 212 MN) is checked for silence, so a
 * station that stops sending — broken, switched off, or tampered with — is announced while it is
 * still silent, not only when its data comes back.
 */
import type { SiteRegistry } from '../domain/sites.js';
import type { SampleStore } from '../ports/index.js';
import type { AlertEngine } from './engine.js';

export interface StationStatus {
  readonly site: string;
  /** Epoch ms of the latest stored sample, if any. */
  readonly latest?: number;
  /** Silent for longer than the gap (the alert config's). */
  readonly silent: boolean;
}

export async function watchStations(
  deps: { readonly registry: SiteRegistry; readonly samples: Pick<SampleStore, 'latest'>; readonly engine: AlertEngine }, now: number,
): Promise<StationStatus[]> {
  const out: StationStatus[] = [];
  for (const site of deps.registry.sites) {
    if (site.mn.length === 0) continue; // manual sections report a few times a month: silence is normal
    const latest = (await deps.samples.latest(site.id))?.sample.time;
    const silent = await deps.engine.checkSilence(site.id, latest, now);
    out.push(latest === undefined ? { site: site.id, silent } : { site: site.id, latest, silent });
  }
  return out;
}

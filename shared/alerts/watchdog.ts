/**
 * The scheduled watchdog: every online station (one with an HJ 212 MN) is checked for silence by
 * its online readings (online.ts), so a station that stops sending — broken, switched off, or
 * tampered with — is announced while it is still silent, not only when its data comes back; then
 * whatever the outbox still holds is sent (notifier.ts: the sweep).
 */
import type { SiteRegistry } from '../domain/sites.js';
import type { SampleStore } from '../ports/index.js';
import type { AlertConfig } from './config.js';
import type { AlertEngine } from './engine.js';
import type { Notifier, SweepReport } from './notifier.js';

export interface StationStatus {
  readonly site: string;
  /** Epoch ms of its latest online reading at or before the time judged, if any. */
  readonly latest?: number;
  /** Silent for longer than the gap (the alert config's). */
  readonly silent: boolean;
}

export interface WatchdogDeps {
  readonly registry: SiteRegistry;
  readonly samples: Pick<SampleStore, 'querySite'>;
  readonly engine: AlertEngine;
  readonly notifier: Notifier;
  readonly config: AlertConfig;
}

export async function watchStations(deps: WatchdogDeps, now: number): Promise<StationStatus[]> {
  const out: StationStatus[] = [];
  for (const site of deps.registry.sites) {
    if (site.mn.length === 0) continue; // manual sections report a few times a month: silence is normal
    const check = await deps.engine.checkSilence(site.id, now);
    // Online within the gap: the exact latest reading is among the last few hours' samples.
    const latest = check.online ? await latestStored(deps, site.id, now) : check.latest;
    out.push(latest === undefined ? { site: site.id, silent: check.silent } : { site: site.id, latest, silent: check.silent });
  }
  return out;
}

/** The watchdog's run: the stations, then a sweep of the outbox. */
export async function runWatchdog(deps: WatchdogDeps, now: number): Promise<{ stations: StationStatus[]; sweep: SweepReport }> {
  const stations = await watchStations(deps, now);
  return { stations, sweep: await deps.notifier.sweep() };
}

async function latestStored(deps: WatchdogDeps, site: string, at: number): Promise<number | undefined> {
  let latest: number | undefined;
  for await (const s of deps.samples.querySite(site, at - deps.config.suspect.gapHours * 3_600_000, at)) latest = s.sample.time;
  return latest;
}

/**
 * The latest complete month with data: the month of the newest sample any registered site has
 * stored, but never the month now running nor a later one (a sample dated in the future does not
 * make an unfinished month reportable). What `bishui start` makes the bulletin of.
 */
import { addMonths } from '../domain/months.js';
import type { SiteRegistry } from '../domain/sites.js';
import { DEFAULT_ZONE, localDate } from '../domain/time.js';
import type { SampleStore } from '../ports/index.js';

export async function latestCompleteMonth(
  store: Pick<SampleStore, 'latest'>, registry: SiteRegistry, now: number, zone: string = DEFAULT_ZONE,
): Promise<string | null> {
  let newest: number | null = null;
  for (const site of registry.sites) {
    const s = await store.latest(site.id);
    if (s && (newest === null || s.sample.time > newest)) newest = s.sample.time;
  }
  if (newest === null) return null;
  const lastComplete = addMonths(localDate(now, zone).slice(0, 7), -1);
  const month = localDate(newest, zone).slice(0, 7);
  return month < lastComplete ? month : lastComplete;
}

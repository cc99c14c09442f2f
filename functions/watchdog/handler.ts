/**
 * The watchdog function, run on a schedule (hourly): announces online stations that are silent now.
 * Same configuration, table and topics as the ingest function; its work is in shared/alerts/watchdog.ts.
 */
import { watchStations } from '../../shared/alerts/watchdog.js';
import { alertWiring } from '../commons/alert-wiring.js';

const { log, registry, samples, engine } = alertWiring('bishui-watchdog');

/** EventBridge scheduled event; only its time matters, and the clock is the function's own. */
export async function handler(): Promise<{ stations: number; silent: string[] }> {
  const now = Date.now();
  const status = await watchStations({ registry, samples, engine }, now);
  const silent = status.filter((s) => s.silent).map((s) => s.site);
  log.info('stations checked', { stations: status.length, silent });
  return { stations: status.length, silent };
}

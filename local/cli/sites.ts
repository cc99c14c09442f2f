/** `bishui sites`: the site registry, and each site's latest stored sample when there is local data. */
import type { Command } from 'commander';
import type { Site } from '../../shared/domain/sites.js';
import { formatInstant } from '../../shared/domain/time.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { openLocalData } from './local-store.js';
import { type DataOptions, withData } from './options.js';
import { renderTable } from './table.js';

export interface SiteRow {
  id: string;
  name: string;
  aliases: readonly string[];
  kind: string;
  target: string;
  town: string | null;
  mn: readonly string[];
  /** The latest stored sample's time and source; null when none is stored (undefined: no local data). */
  latestSample?: { time: string; file: string; line: number } | null;
}

export function registerSites(program: Command, io: CliIo): void {
  withData(program.command('sites'))
    .description('list the site registry: ids, names, aliases, targets, MN codes, and each site\'s latest stored sample')
    .option('--json', 'print JSON')
    .action(async (opts: DataOptions) => {
      const registry = loadRegistryOption(opts.sites);
      const data = await openLocalData(opts.dataDir);
      const rows: SiteRow[] = registry.sites.map(describeSite);
      if (data) {
        try {
          for (const row of rows) {
            const latest = await data.store.latest(row.id);
            row.latestSample = latest ? { time: formatInstant(latest.sample.time), ...latest.sample.source } : null;
          }
        } finally {
          await data.close();
        }
      }
      const source = data ? `${opts.dataDir}/ (${data.via === 'running start' ? 'through the running bishui start' : 'the data dir'})` : null;
      if (opts.json) {
        io.out(JSON.stringify({ localData: source, sites: rows }, null, 2));
        return;
      }
      io.out(renderSites(rows));
      io.out(source ? `latest samples from ${source}` : `no local data in ${opts.dataDir}/ yet: latest samples appear after npm start (or bishui ingest FILE)`);
    });
}

function describeSite(s: Site): SiteRow {
  return { id: s.id, name: s.name, aliases: s.aliases, kind: s.kind, target: s.target, town: s.town ?? null, mn: s.mn };
}

export function renderSites(rows: readonly SiteRow[]): string {
  return renderTable(
    ['id', 'name', 'aliases', 'kind', 'target', 'town', 'MN', 'latest sample'],
    rows.map((r) => [
      r.id, r.name, r.aliases.join('、') || '—', r.kind, r.target, r.town ?? '—', r.mn.join(' ') || '—',
      r.latestSample === undefined ? '' : r.latestSample === null ? 'none stored' : r.latestSample.time,
    ]),
  );
}

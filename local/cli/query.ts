/** `bishui query --site ID`: stored samples of a site, in the sample shape of `evaluate --json`. */
import type { Command } from 'commander';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import { sampleView } from '../../shared/domain/sample-view.js';
import type { Site, SiteRegistry } from '../../shared/domain/sites.js';
import { UsageError, checkRange, rangeEndArg, rangeStartArg } from './arguments.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { storeFor } from './local-store.js';
import { type DataOptions, withData } from './options.js';
import { renderSamples } from './sample-table.js';

interface QueryOptions extends DataOptions { site: string; from?: number; to?: number; wide?: boolean }

export function registerQuery(program: Command, io: CliIo): void {
  withData(program.command('query'))
    .description('stored samples of a site, in the sample shape of evaluate --json')
    .requiredOption('--site <id>', 'site id, name or alias (or an unregistered station as written)')
    .option('--from <time>', 'from this time (inclusive); a date means from its start', rangeStartArg)
    .option('--to <time>', 'to this time (inclusive); a date means to its end', rangeEndArg)
    .option('--wide', 'all columns (values, flags, source) instead of the compact view')
    .option('--json', 'print JSON')
    .action(async (opts: QueryOptions) => {
      const registry = loadRegistryOption(opts.sites);
      checkRange(opts.from, opts.to);
      const site = registry.resolve(opts.site);
      const { store, close } = await storeFor(opts.dataDir);
      try {
        const samples = [];
        for await (const s of store.querySite(site.id, opts.from, opts.to)) samples.push(sampleView(s.sample, evaluateSample(s.sample, registry.resolve(s.sample.site))));
        // An unregistered station is stored under its name as written: a name with samples is a station, not a typo.
        if (!site.registered && samples.length === 0 && (await store.latest(site.id)) === undefined) throw new UsageError(notRegistered(opts.site, registry));
        if (opts.json) io.out(JSON.stringify({ site: site.id, registered: site.registered, samples }, null, 2));
        else io.out(samples.length === 0 ? `no stored samples for ${site.id}${opts.from !== undefined || opts.to !== undefined ? ' in that range' : ''}` : renderSamples(samples, { wide: opts.wide === true }));
      } finally {
        await close();
      }
    });
}

/** "--site 'xiaomeihr' is not a registered site …, did you mean xiaomeihe (小湄河断面)?" */
export function notRegistered(name: string, registry: SiteRegistry): string {
  const near = registry.suggest(name);
  const hint = near ? `did you mean ${label(near)}?` : `registered: ${registry.sites.map((s) => s.id).join(', ')} (bishui sites lists them)`;
  return `--site '${name}' is not a registered site and no samples are stored under that name; ${hint}`;
}

const label = (s: Site) => `${s.id} (${s.name})`;

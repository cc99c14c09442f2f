/** `bishui query --site ID`: stored samples of a site, in the sample shape of `evaluate --json`. */
import type { Command } from 'commander';
import { evaluateSample } from '../../shared/domain/evaluate.js';
import { sampleView } from '../../shared/domain/sample-view.js';
import { parseTime } from '../../shared/domain/time.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { storeFor } from './local-store.js';
import { type DataOptions, withData } from './options.js';
import { renderSamples } from './sample-table.js';

export function registerQuery(program: Command, io: CliIo): void {
  withData(program.command('query'))
    .description('stored samples of a site, in the sample shape of evaluate --json')
    .requiredOption('--site <id>', 'site id, name or alias')
    .option('--from <iso>', 'from this time (inclusive)')
    .option('--to <iso>', 'to this time (inclusive)')
    .option('--json', 'print JSON')
    .action(async (opts: DataOptions & { site: string; from?: string; to?: string }) => {
      const registry = loadRegistryOption(opts.sites);
      const site = registry.resolve(opts.site);
      const bound = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const t = parseTime(v);
        if (t === null) throw new Error(`--${name} '${v}' is not a time (expected e.g. 2023-07-15 or 2023-07-15T08:00:00+08:00)`);
        return t;
      };
      const from = bound(opts.from, 'from');
      const to = bound(opts.to, 'to');
      const { store, close } = await storeFor(opts.dataDir);
      try {
        const samples = [];
        for await (const s of store.querySite(site.id, from, to)) samples.push(sampleView(s.sample, evaluateSample(s.sample, registry.resolve(s.sample.site))));
        if (opts.json) io.out(JSON.stringify({ site: site.id, registered: site.registered, samples }, null, 2));
        else io.out(samples.length === 0 ? `no stored samples for ${site.id}${from || to ? ' in that range' : ''}` : renderSamples(samples));
      } finally {
        await close();
      }
    });
}

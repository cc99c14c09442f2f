/** `bishui samples`: generated sample data (a believable year for the four sites). */
import type { Command } from 'commander';
import { generateSamples } from '../sample-data/generate.js';
import { generateHistory } from '../sample-data/history.js';
import { monthsArg, yearArg } from './arguments.js';
import type { CliIo } from './io.js';

export function registerSamples(program: Command, io: CliIo): void {
  program.command('samples')
    .description('write generated sample data (a believable year for the four sites)')
    .option('--out <dir>', 'output folder', 'generated-samples')
    .option('--year <year>', 'year, e.g. 2023', yearArg, 2023)
    .option('--months <list>', 'months 1–12, e.g. 7 or 6,7,8 (default: all)', monthsArg)
    .option('--daily', 'daily-mean exports and manual reports instead of hourly files')
    .option('--history', 'the shipped history (samples/history/): Aug 2021 – Jun 2023 as daily-mean exports')
    .action((opts: { out: string; year: number; months?: number[]; daily?: boolean; history?: boolean }) => {
      const written = opts.history ? generateHistory(opts.out)
        : generateSamples({ outDir: opts.out, year: opts.year, ...(opts.months ? { months: opts.months } : {}), ...(opts.daily ? { form: 'daily' as const } : {}) });
      io.out(written.map((f) => `  ${f}`).join('\n'));
    });
}

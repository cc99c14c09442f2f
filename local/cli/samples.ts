/** `bishui samples`: generated sample data (a believable year for the four sites). */
import type { Command } from 'commander';
import { generateSamples } from '../sample-data/generate.js';
import { monthsArg, yearArg } from './arguments.js';
import type { CliIo } from './io.js';

export function registerSamples(program: Command, io: CliIo): void {
  program.command('samples')
    .description('write generated sample data (a believable year for the four sites)')
    .option('--out <dir>', 'output folder', 'generated-samples')
    .option('--year <year>', 'year, e.g. 2023', yearArg, 2023)
    .option('--months <list>', 'months 1–12, e.g. 7 or 6,7,8 (default: all)', monthsArg)
    .action((opts: { out: string; year: number; months?: number[] }) => {
      const written = generateSamples({ outDir: opts.out, year: opts.year, ...(opts.months ? { months: opts.months } : {}) });
      io.out(written.map((f) => `  ${f}`).join('\n'));
    });
}

/**
 * `bishui evaluate FILE... [--json]`: reads monitoring files, evaluates every sample against GB 3838
 * and the site's target, and prints a table or the JSON documented in the README.
 */
import type { Command } from 'commander';
import { DEFAULT_ZONE } from '../../shared/domain/time.js';
import { zoneArg } from './arguments.js';
import { type EvaluateResult, type FileReport, evaluateFiles } from './evaluate-files.js';
import { writeEvaluationJson } from './evaluate-json.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { renderSamples } from './sample-table.js';
import { terminalSafe } from './terminal-text.js';

export function renderEvaluation(r: EvaluateResult, options: { wide?: boolean } = {}): string {
  const out: string[] = [];
  for (const f of r.files) {
    const extra = [
      f.skipped ? `${f.skipped} skipped (no data)` : '', f.warnings ? `${f.warnings} values dropped` : '', f.missing ? `${f.missing} missing` : '',
    ].filter((x) => x !== '').map((x) => `, ${x}`).join('');
    const status = f.error ? `NOT READ — ${f.error}` : `${f.format}, ${f.encoding}: ${f.accepted} accepted, ${f.rejected} rejected${extra}`;
    out.push(terminalSafe(`${f.file}: ${status}`));
    for (const w of f.notes ?? []) out.push(`  note: ${terminalSafe(w)}`);
  }
  if (r.samples.length > 0) out.push('', renderSamples(r.samples, options));
  if (r.rejected.length > 0) {
    out.push('', `Rejected (${r.rejected.length}):`);
    for (const x of r.rejected) out.push(`  ${terminalSafe(`${x.file}:${x.line}: ${x.reason}`)}`);
  }
  if (r.warnings.length > 0) {
    out.push('', `Values dropped (${r.warnings.length}):`);
    for (const x of r.warnings) out.push(`  ${terminalSafe(`${x.file}:${x.line}: ${x.param} '${x.value}' — ${x.reason}`)}`);
  }
  return out.join('\n');
}

interface EvaluateOptions { json?: boolean; wide?: boolean; sites?: string; zone: string }

export function registerEvaluate(program: Command, io: CliIo): void {
  program
    .command('evaluate')
    .description('read monitoring files (CSV/TSV, JSON, NDJSON, HJ 212 logs; gzip ok) and grade every sample')
    .argument('<files...>', 'files to read')
    .option('--json', 'print machine-readable JSON (streamed: any size)')
    .option('--wide', 'all columns (values, flags, source) instead of the compact view')
    .option('--sites <file>', 'site registry (default: config/sites.json or $BISHUI_SITES)')
    .option('--zone <iana>', 'time zone of naive local times', zoneArg, DEFAULT_ZONE)
    .action(async (files: string[], opts: EvaluateOptions) => {
      const registry = loadRegistryOption(opts.sites);
      // A file that cannot be read is reported once, in the output (its table line, or its entry's `error`).
      let reports: FileReport[];
      if (opts.json) {
        reports = await writeEvaluationJson(files, registry, opts.zone, (c) => io.write(c));
      } else {
        const result = await evaluateFiles(files, registry, opts.zone);
        io.out(renderEvaluation(result, { wide: opts.wide === true }));
        reports = result.files;
      }
      io.setExit(reports.some((f) => f.error) ? 2 : 0);
    });
}

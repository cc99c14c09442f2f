#!/usr/bin/env node
/**
 * Per-file mutation scores from Stryker's JSON report, and the rule that each rule file keeps at least
 * MIN_SCORE % (Stryker's `thresholds.break` judges only the score of all files together).
 *
 * Score = (killed + timed out) / (killed + timed out + survived + not covered): mutants that do not
 * compile (the TypeScript checker rejects them) and mutants disabled by a `// Stryker disable` comment
 * with its reason are not counted, as in Stryker's own score.
 *
 *   node tools/mutation-scores.mjs [report.json] [--markdown]
 * Exit status 1 when a listed file scores below MIN_SCORE or is missing from the report.
 */
import { readFileSync } from 'node:fs';
import { MIN_SCORE, RULE_FILES } from '../stryker.config.mjs';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const reportPath = args.find((a) => !a.startsWith('--')) ?? 'reports/mutation/mutation.json';

/** @type {{ files: Record<string, { mutants: { status: string }[] }> }} */
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (e) {
  console.error(`mutation-scores: cannot read ${reportPath} (${e instanceof Error ? e.message : String(e)}): run npm run mutation first`);
  process.exit(1);
}

const count = (mutants, ...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
const rows = RULE_FILES.map((file) => {
  const entry = Object.entries(report.files).find(([path]) => path.replaceAll('\\', '/').endsWith(file));
  if (!entry) return { file, missing: true };
  const { mutants } = entry[1];
  const killed = count(mutants, 'Killed', 'Timeout');
  const survived = count(mutants, 'Survived');
  const noCoverage = count(mutants, 'NoCoverage');
  const notCompiling = count(mutants, 'CompileError');
  const disabled = count(mutants, 'Ignored');
  const counted = killed + survived + noCoverage;
  const score = counted === 0 ? 100 : (100 * killed) / counted;
  return { file, killed, survived, noCoverage, notCompiling, disabled, score };
});

const head = ['file', 'score', 'killed', 'survived', 'no coverage', 'not compiling', 'disabled (equivalent)'];
const cells = rows.map((r) => (r.missing
  ? [r.file, 'missing', '', '', '', '', '']
  : [r.file, `${r.score.toFixed(1)} %`, r.killed, r.survived, r.noCoverage, r.notCompiling, r.disabled].map(String)));
if (markdown) {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const c of cells) console.log(`| \`${c[0]}\` | ${c.slice(1).join(' | ')} |`);
} else {
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const c of cells) console.log(line(c));
}

const failing = rows.filter((r) => r.missing || r.score < MIN_SCORE);
if (failing.length > 0) {
  console.error(`\nBelow ${MIN_SCORE} % (or missing from the report): ${failing.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
console.log(`\nEvery rule file scores at least ${MIN_SCORE} %.`);

// @ts-check
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
/**
 * Mutation testing of the rule code (issue 14): `npm run mutation`. Not part of `npm test` or CI.
 * Each file listed here must keep a mutation score of at least 80 % (tools/mutation-scores.mjs checks
 * every file on its own; Stryker's own `thresholds.break` is one global score). The tests that run
 * against the mutants are chosen in vitest.mutation.config.ts.
 */

/** The files whose rules decide a grade, an alert or a letter. Add a file here, and its unit tests there. */
export const RULE_FILES = [
  // GB 3838 grading, the water-quality index and the evaluation of one sample
  'shared/domain/gb3838.ts',
  'shared/domain/grading.ts',
  'shared/domain/cwqi.ts',
  'shared/domain/evaluate.ts',
  // Alert rules: flood season, compliance episodes, suspect data, silence, online readings, the
  // late-exceedance digest (site-rules.ts), severity and order (events.ts)
  'shared/alerts/flood-rule.ts',
  'shared/alerts/compliance.ts',
  'shared/alerts/site-rules.ts',
  'shared/alerts/suspect-rules.ts',
  'shared/alerts/silence.ts',
  'shared/alerts/online.ts',
  'shared/alerts/intervals.ts',
  'shared/alerts/events.ts',
  // Message builders: alerts, operations notices, the supervision message, SMS and SNS bounds
  'shared/alerts/messages.ts',
  'shared/alerts/messages/exceedance.ts',
  'shared/alerts/messages/recovery.ts',
  'shared/alerts/messages/fluctuation.ts',
  'shared/alerts/messages/suspect.ts',
  'shared/alerts/messages/late.ts',
  'shared/alerts/messages/digest.ts',
  'shared/alerts/messages/text.ts',
  'shared/alerts/messages/bounds.ts',
  'shared/alerts/sms.ts',
  'shared/alerts/ingest-notices.ts',
  'shared/supervision/notification.ts',
  // Supervision: period means, the monthly assessment, ranking, the ladder and the trend test
  'shared/domain/period-means.ts',
  'shared/domain/monthly-assessment.ts',
  'shared/domain/effluent-month.ts',
  'shared/domain/ranking.ts',
  'shared/domain/ladder.ts',
  'shared/domain/trend.ts',
  'shared/domain/trend-verdict.ts',
  // Reading a record: what a cell as written is (a number, missing, below detection, invalid) and
  // what the row then becomes (a sample, its dropped cells, or a rejection with every reason)
  'shared/parsers/values.ts',
  'shared/parsers/record.ts',
];

/**
 * The TypeScript checker compiles the rule files and what they import, not the whole project (a
 * third of the time): written here from RULE_FILES so the list stays one. A mutant that would only
 * break a caller outside is then run against the tests instead of being set aside as not compiling.
 */
const CHECKER_TSCONFIG = 'tsconfig.mutation.json';
const checkerTsconfig = `${JSON.stringify({ extends: './tsconfig.json', include: [], files: RULE_FILES }, null, 2)}\n`;
if (!existsSync(CHECKER_TSCONFIG) || readFileSync(CHECKER_TSCONFIG, 'utf8') !== checkerTsconfig) writeFileSync(CHECKER_TSCONFIG, checkerTsconfig);

/** The least mutation score (%) each rule file must keep, of the mutants that compile. */
export const MIN_SCORE = 80;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: RULE_FILES,
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: CHECKER_TSCONFIG,
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Two cores: one worker per core (test runners and the type checker share them).
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // Colours only; the per-file rule is tools/mutation-scores.mjs.
  thresholds: { high: 90, low: MIN_SCORE, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['cdk.out', 'coverage', 'reports', '.bishui', 'bench/.out', 'bench/data'],
};

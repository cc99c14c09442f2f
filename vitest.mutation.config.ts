import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: the unit tests of the rule code only. Stryker
 * runs every test that covers a mutant, so a slow scenario test (the alert engine over generated years,
 * the documents rendered through Vega) would run for each of the hundreds of mutants in evaluate.ts;
 * integration, browser and infra tests need emulators or a browser.
 *
 * Rule code a test file calls while it is collected (at module level or in a `describe` body) makes
 * every mutant it reaches "static" to Stryker: run against every test, with the modules reloaded, a
 * run of all these tests per mutant. Build fixtures inside the tests. build-bulletin.test.ts still
 * does it (its bulletin is a top-level await, reaching most of evaluate.ts) and stays out.
 *
 * durable-delivery.test.ts stays out too: it tests delivery (the notifier and the outbox, not
 * mutated), builds a 240-notification burst while it loads, and runs the engine 240 times in one
 * test — seconds for each of the hundreds of alert and message mutants it reaches.
 *
 * Rule files added to stryker.config.mjs bring their unit tests here.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/domain/**/*.test.ts',
      'test/unit/alerts/**/*.test.ts',
      'test/unit/supervision/**/*.test.ts',
      'test/unit/ingest/day-parts.test.ts',
      // Values and records, through the readers that hand them over (not the tokenizers' property
      // tests, the fuzzing, the bounds or the encodings: they decide no value)
      'test/unit/parsers/values.test.ts',
      'test/unit/parsers/cells.test.ts',
      'test/unit/parsers/record.test.ts',
      'test/unit/parsers/csv.test.ts',
      'test/unit/parsers/tabular.test.ts',
      'test/unit/parsers/footers.test.ts',
      'test/unit/parsers/file-site.test.ts',
      'test/unit/parsers/near-miss.test.ts',
      'test/unit/parsers/json.test.ts',
      'test/unit/parsers/hj212.test.ts',
    ],
    exclude: [
      'test/unit/alerts/engine.test.ts',
      'test/unit/alerts/durable-delivery.test.ts',
      'test/unit/supervision/documents*.test.ts',
      'test/unit/supervision/build-bulletin.test.ts',
    ],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

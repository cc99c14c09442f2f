import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: the unit tests of the rule code only. Stryker
 * runs every test that covers a mutant, so a slow scenario test (the alert engine over generated years,
 * the documents rendered through Vega) would run for each of the hundreds of mutants in evaluate.ts;
 * integration, browser and infra tests need emulators or a browser.
 *
 * Rule code a test file calls while it is collected (at module level or in a `describe` body) makes
 * every mutant it reaches "static" to Stryker: run against every test, with the modules reloaded, a
 * run of all these tests per mutant. Build fixtures inside the tests. Two files still do it and stay
 * out: build-bulletin.test.ts (its bulletin is a top-level await) and site-rules.test.ts (its episode
 * is evaluated in the module), which reach most of evaluate.ts; site-rules.ts is mutated in the next
 * round, with that test's fixtures moved into its tests.
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
    ],
    exclude: [
      'test/unit/alerts/engine.test.ts',
      'test/unit/supervision/documents*.test.ts',
      'test/unit/supervision/build-bulletin.test.ts',
      'test/unit/alerts/site-rules.test.ts',
    ],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

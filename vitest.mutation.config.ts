import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: the unit tests of the rule code only. Stryker
 * runs every test that covers a mutant, so a slow scenario test (the alert engine over generated years,
 * the documents rendered through Vega) would run for each of the hundreds of mutants in evaluate.ts;
 * integration, browser and infra tests need emulators or a browser. A test file that calls rule code
 * at module load (build-bulletin.test.ts builds its bulletin with a top-level await) makes every
 * mutant it reaches "static" to Stryker — run against every test, with the modules reloaded — so it
 * stays out; the rule files have their own unit tests. Rule files added to stryker.config.mjs bring
 * their unit tests here.
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
    ],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

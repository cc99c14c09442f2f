import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real emulators; give them room on a 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native addon + OpenMP: separate processes are the robust choice.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // In CI, also write counts for .ci/run's summary line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'build-reports/vitest.json' }]] : ['default'],
  },
});

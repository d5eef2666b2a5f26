import { defineConfig } from 'vitest/config';

// Unit tests sit beside their source; integration tests drive the real sandbox over loopback.
// Each renderer test that needs a DOM or IndexedDB opts in with a `@vitest-environment` comment.
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A throwaway PostgreSQL cluster for the run: the hospital server's tests run on it and on PGlite.
    globalSetup: ['test/fixtures/postgres-cluster.ts'],
  },
});

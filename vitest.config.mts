import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";
import LongFilesFirst from "./tests/setup/sequencer.js";

const require = createRequire(import.meta.url);
// Workspace packages export their TypeScript under "@rhizome/source" and their compiled dist/ otherwise:
// tests run the source, while the hub they start runs dist/ (brought up to date by the global setup).
// Vitest passes these conditions on to node in its workers, so no "module" here: node would then load
// ES builds that only bundlers can (@opentelemetry/api's).
const conditions = ["@rhizome/source", "node"];

export default defineConfig({
  resolve: {
    // Test files would load graphql's ESM build while Apollo and type-graphql require its CJS build:
    // two copies of graphql fail with "Cannot use GraphQLObjectType from another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  ssr: { resolve: { conditions } },
  test: {
    include: ["services/*/test/**/*.test.ts", "gateway/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: [...configDefaults.exclude, "tests/bench/**"],
    globalSetup: ["tests/setup/global-setup.ts"],
    // Cycle jobs run back to back in tests, which check what the jobs do; how they rest between
    // runs (CYCLE_JOB_PACE) has tests of its own. Hubs and services tests start inherit it.
    env: { CYCLE_JOB_PACE: "0" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Three test files at once on two cores: they wait on the hub far more than they compute, and
    // each uses its own circles, members and clocks.
    maxWorkers: 3,
    // A worker keeps the modules it loaded from one file to the next: loading the kit, the gateway
    // and their libraries again for each of 165 files took more of the suite than the tests did.
    // No test mocks modules or changes globals, and each starts and stops what it uses.
    isolate: false,
    sequence: { sequencer: LongFilesFirst },
  },
});

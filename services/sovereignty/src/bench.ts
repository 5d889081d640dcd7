/**
 * The one entry benchmarks may use beside the GraphQL API (`tests/bench/sovereignty.ts`): what they
 * need to seed published figures the way the scores job writes them. Nothing else of the service's
 * inside is exported.
 */
export { sovereigntyMetrics, type SovereigntyMetric } from "./domain/scores.js";

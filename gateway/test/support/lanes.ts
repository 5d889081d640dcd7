import { inject } from "vitest";

/**
 * A production gateway that answers every request on its own, for comparing its lanes with the
 * runtime: no public cache, no shared fetches or answers, and rate limits no test reaches.
 */
export function laneComparisonSettings(): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    PUBLIC_CACHE_ENTRIES: "0",
    SHARED_FETCH_CACHE_ENTRIES: "0",
    COALESCE_QUERIES: "false",
    RATE_LIMIT_REQUESTS_PER_MINUTE: "100000",
  };
}

import { inject } from "vitest";

/**
 * What the vitest global setup (tests/setup) provides: real Postgres, Redis and running services.
 * Read through a loose accessor so this file does not depend on how that setup types them.
 */
export interface TestEnvironment {
  databaseUrl: string;
  redisUrl: string;
  tokenSecret: string;
  /** The barter subgraph's /graphql URL (the setup provides each service's base URL). */
  barterUrl: string;
}

const read = inject as unknown as (key: string) => unknown;

export function testEnvironment(): TestEnvironment {
  const databaseUrl = read("databaseUrl");
  const redisUrl = read("redisUrl");
  const tokenSecret = read("tokenSecret");
  const serviceUrls = read("serviceUrls") as Record<string, string> | undefined;
  const barterBaseUrl = serviceUrls?.barter;
  if (typeof databaseUrl !== "string" || typeof redisUrl !== "string" || typeof tokenSecret !== "string" || typeof barterBaseUrl !== "string") {
    throw new Error("Run barter's tests through vitest with the repository's global setup: it provides databaseUrl, redisUrl, tokenSecret and serviceUrls.barter.");
  }
  return { databaseUrl, redisUrl, tokenSecret, barterUrl: new URL("/graphql", barterBaseUrl).toString() };
}

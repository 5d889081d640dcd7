import { inject } from "vitest";

/** What the vitest global setup (tests/setup/global-setup.ts) provides. */
export interface HubTestEnvironment {
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** Each service's base URL by name (append /graphql, /ready). */
  serviceUrls: Record<string, string>;
  /** Each process's /metrics URL by name (gateway included), on a port apart from the public one. */
  metricsUrls: Record<string, string>;
  databaseUrl: string;
  redisUrl: string;
  /** The secret every process of the test hub signs and verifies tokens with. */
  tokenSecret: string;
}

// eslint-disable-next-line no-restricted-syntax -- vitest types inject by the keys of one ProvidedContext; this reads keys the global setup provides
const read = inject as unknown as (key: string) => unknown;

export function hubEnvironment(): HubTestEnvironment {
  const values = {
    gatewayUrl: read("gatewayUrl"),
    serviceUrls: read("serviceUrls"),
    metricsUrls: read("metricsUrls"),
    databaseUrl: read("databaseUrl"),
    redisUrl: read("redisUrl"),
    tokenSecret: read("tokenSecret"),
  };
  if (
    typeof values.databaseUrl !== "string" ||
    typeof values.tokenSecret !== "string" ||
    typeof values.serviceUrls !== "object"
  ) {
    throw new Error(
      "Run tests through vitest with the repository's global setup (tests/setup/global-setup.ts): it starts the hub and provides its URLs.",
    );
  }
  return values as HubTestEnvironment;
}

/** A service's GraphQL endpoint in the test hub, e.g. subgraphUrl("barter"). */
export function subgraphUrl(service: string): string {
  const base = hubEnvironment().serviceUrls[service];
  if (!base) throw new Error(`The test hub runs no service named ${service}.`);
  return new URL("/graphql", base).toString();
}

/** Runs one SQL statement on the test hub's database (schema-qualify the tables), for checking what a request stored. */
export async function queryDatabase<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: hubEnvironment().databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

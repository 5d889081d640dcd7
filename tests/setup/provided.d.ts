import "vitest";

// What the global setup (tests/setup/global-setup.ts) provides; tests read it with inject("gatewayUrl").
declare module "vitest" {
  export interface ProvidedContext {
    /** The gateway's GraphQL endpoint, http://127.0.0.1:<port>/graphql. */
    gatewayUrl: string;
    /** Each service's base URL by name (append /graphql, /ready), e.g. serviceUrls.network. */
    serviceUrls: Record<string, string>;
    /** Each process's /metrics URL by name (gateway included), on a port apart from the public one. */
    metricsUrls: Record<string, string>;
    databaseUrl: string;
    redisUrl: string;
    /** The secret every service signs and verifies tokens with in this run. */
    tokenSecret: string;
  }
}

/**
 * What every service's tests share (import from "@rhizome/kit/testing"): the environment the vitest
 * global setup provides (a real Postgres, Redis and the running hub), one GraphQL client, waiting
 * for something to become true, real tokens, an in-process service with its own clock, and a
 * snapshot that proves a refused request changed nothing.
 */
export * from "./environment.js";
export * from "./graphql.js";
export * from "./eventually.js";
export * from "./tokens.js";
export * from "./service.js";
export * from "./snapshot.js";
export * from "./circles.js";

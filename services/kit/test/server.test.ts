import { describe, expect, it } from "vitest";
import { createLogger } from "../src/runtime/logger.js";
import { serveSubgraph } from "../src/api/server.js";
import { OPERATION_LIMITS } from "../src/auth/operation-limits.js";

describe("a worker-only process", () => {
  it("reports health and readiness, metrics on a port of its own, but serves no GraphQL", async () => {
    let isDatabaseUp = true;
    const server = await serveSubgraph({
      service: "worker-test",
      host: "127.0.0.1",
      port: 0,
      metricsPort: 0,
      logger: createLogger("worker-test", "silent"),
      credentials: { tokenSecret: "x".repeat(32), verifyApiKey: async () => undefined },
      isProduction: false,
      subgraphAccess: "open",
      operationLimits: OPERATION_LIMITS,
      createContext: (base) => base,
      readinessChecks: {
        database: async () => {
          if (!isDatabaseUp) throw new Error("connection refused");
        },
      },
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      isDatabaseUp = false;
      const notReady = await fetch(`${base}/ready`);
      expect(notReady.status).toBe(503);
      expect((await notReady.json()).checks.database).toBe("connection refused");
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      expect(await (await fetch(server.metricsUrl)).text()).toContain("process_cpu_seconds_total");
      expect((await fetch(`${base}/graphql`, { method: "POST" })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

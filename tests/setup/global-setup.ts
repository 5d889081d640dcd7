import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import type { TestProject } from "vitest/node";

const DEFAULT_TEST_LOG_LEVEL = "warn";

/**
 * Starts a throwaway Postgres and Redis on free ports, then every service and the gateway, once for
 * the whole test run, without demo data. Outputs are kept quiet and shown only when a process fails;
 * LOG_LEVEL (default warn) sets how much the processes write.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAtMs = performance.now();
  const stack: LocalStack = await startLocalStack({
    ephemeral: true,
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
  });
  const tokenSecret = randomTokenSecret();
  let hub: RunningHub;
  try {
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret,
      ports: "free",
      nodeEnv: "test",
      logLevel: process.env.LOG_LEVEL || DEFAULT_TEST_LOG_LEVEL,
      output: "tail",
      // Several test runs may share the machine's two cores.
      readyTimeoutMs: 240_000,
      // Every test file shares one client address: the gateway's per-client limits are tested on a gateway of their own.
      // Cycle jobs run back to back (vitest.config.mts says why).
      env: {
        RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
        RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
        CYCLE_JOB_PACE: "0",
        ...process.env,
      },
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }

  if (!hub.gatewayUrl)
    console.warn("[global-setup] gateway/src/main.ts does not exist yet: tests through the gateway will fail.");
  project.provide("gatewayUrl", hub.gatewayUrl ?? "");
  project.provide("serviceUrls", hub.serviceUrls);
  project.provide("metricsUrls", hub.metricsUrls);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("redisUrl", stack.redisUrl);
  project.provide("tokenSecret", tokenSecret);
  const names = Object.keys(hub.serviceUrls).concat(hub.gatewayUrl ? ["gateway"] : []);
  console.log(
    `[global-setup] Postgres, Redis and ${names.join(", ") || "no services"} ready in ${((performance.now() - startedAtMs) / 1000).toFixed(1)} s`,
  );

  return async () => {
    await hub.stop();
    await stack.stop();
  };
}

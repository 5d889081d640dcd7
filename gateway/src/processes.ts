import cluster, { type Worker } from "node:cluster";
import { clusterMetricsRegistry, serveMetrics, type Logger } from "@rhizome/kit/runtime";
import type { GatewayConfig } from "./config.js";

/**
 * The settings of one of `processes` gateway processes: the per-client limits are divided between
 * them (rounded up), because a client's connections are spread over the processes and each counts
 * only what it sees; together they never allow a client more than the configured limits.
 */
export function perProcessConfig(config: GatewayConfig, processes: number): GatewayConfig {
  const share = (limit: number) => Math.max(1, Math.ceil(limit / processes));
  return {
    ...config,
    RATE_LIMIT_REQUESTS_PER_MINUTE: share(config.RATE_LIMIT_REQUESTS_PER_MINUTE),
    RATE_LIMIT_LOGINS_PER_MINUTE: share(config.RATE_LIMIT_LOGINS_PER_MINUTE),
  };
}

/**
 * The primary of GATEWAY_PROCESSES gateway processes (node cluster): it forks them, each listening
 * on PORT (connections are handed out in turn), and serves their metrics added up on METRICS_PORT.
 * A process that dies stops the others and the primary fails, so whatever supervises the gateway
 * (the launcher, Kubernetes) restarts it whole, as it would a single process.
 */
export async function startGatewayProcesses(config: GatewayConfig, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const metrics = await serveMetrics(clusterMetricsRegistry(), { host: config.HOST, port: config.METRICS_PORT });
  const workers: Worker[] = Array.from({ length: config.GATEWAY_PROCESSES }, () => cluster.fork());
  let isStopping = false;
  const stopWorkers = () =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once("listening", () => resolve());
          worker.once("exit", (code) =>
            reject(new Error(`a gateway process exited (code ${code}) before it listened`)),
          );
        }),
    ),
  ).catch(async (error: unknown) => {
    isStopping = true;
    await stopWorkers();
    await metrics.close();
    throw error;
  });
  for (const worker of workers) {
    worker.on("exit", (code, signal) => {
      // Exiting cleanly, it was asked to stop (the whole process group is being stopped).
      if (isStopping || code === 0) return;
      isStopping = true;
      logger.fatal({ code, signal }, "a gateway process exited; stopping the others");
      void stopWorkers().then(() => process.exit(1));
    });
  }
  logger.info({ processes: workers.length, metricsUrl: metrics.url }, "gateway processes listening");
  return {
    async stop() {
      isStopping = true;
      await stopWorkers();
      await metrics.close();
    },
  };
}

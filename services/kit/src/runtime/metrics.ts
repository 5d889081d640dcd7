import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import client from "prom-client";

export type MetricsRegistry = client.Registry;
export { Counter, Gauge, Histogram } from "prom-client";

export const METRICS_PATH = "/metrics";
/** The port Prometheus scrapes in a deployment; locally the launcher and the tests pick free ones. */
export const DEPLOYED_METRICS_PORT = 9464;

/** A service's Prometheus registry, labelled with the service, with Node's default process metrics. */
export function createMetricsRegistry(service: string): MetricsRegistry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

export interface RunningMetricsServer {
  /** `http://host:port/metrics` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` and nothing else on a port of its own (METRICS_PORT), so the public port
 * never exposes metrics and a deployment can keep this one inside the cluster.
 */
export async function serveMetrics(
  registry: MetricsRegistry,
  options: { host: string; port: number },
): Promise<RunningMetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== METRICS_PATH) {
      response
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end("Only GET /metrics is served here.\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      () =>
        response
          .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
          .end("Metrics could not be collected.\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}${METRICS_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * The registry the primary of a node cluster serves: every worker's metrics, asked for over IPC
 * at each scrape and added up (prom-client's AggregatorRegistry). Workers serve none themselves.
 */
export function clusterMetricsRegistry(): MetricsRegistry {
  const aggregator = new client.AggregatorRegistry<typeof client.Registry.PROMETHEUS_CONTENT_TYPE>();
  return Object.assign(aggregator, { metrics: () => aggregator.clusterMetrics() });
}

/** In a cluster worker: what this process gives the primary's registry when it is scraped. */
export function shareMetricsWithClusterPrimary(registry: MetricsRegistry): void {
  // Making one is what starts a worker's answering the primary's requests (prom-client's cluster.js).
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries([registry]);
}

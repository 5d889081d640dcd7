import client from "prom-client";

export type MetricsRegistry = client.Registry;
export { Counter, Gauge, Histogram } from "prom-client";

/** A service's Prometheus registry, labelled with the service, with Node's default process metrics. */
export function createMetricsRegistry(service: string): MetricsRegistry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

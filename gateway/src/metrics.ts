import type { GatewayPlugin } from "@graphql-hive/gateway";
import { Histogram, type MetricsRegistry } from "@rhizome/kit/runtime";
import type { Step } from "./pipeline.js";

const DURATION_BUCKETS_SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's own metrics, labelled only with what says nothing about anyone: the HTTP status of
 * a request and the name of a subgraph. No URL (a GET carries the query and its variables), no
 * operation name or text (a client chooses them), no subgraph address.
 */
export function subgraphRequestDurations(registry: MetricsRegistry) {
  return new Histogram({
    name: "rhizome_gateway_subgraph_request_seconds",
    help: "Duration of the gateway's requests to each subgraph, by outcome",
    labelNames: ["subgraph", "outcome"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
}

/** Times the runtime's subgraph requests into `subgraphCalls` (subgraphRequestDurations). */
export function useGatewayMetrics(subgraphCalls: ReturnType<typeof subgraphRequestDurations>): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName }) {
      const started = performance.now();
      return ({ result }) => {
        const hasErrors =
          !!result &&
          typeof result === "object" &&
          "errors" in result &&
          Array.isArray(result.errors) &&
          result.errors.length > 0;
        subgraphCalls.observe(
          { subgraph: subgraphName, outcome: hasErrors ? "error" : "ok" },
          (performance.now() - started) / 1000,
        );
      };
    },
  };
}

/**
 * Times each GraphQL request from its arrival to its answer, however it was answered: by the
 * runtime, from the public cache, with a shared answer, or refused at the door.
 */
export function requestDurations(registry: MetricsRegistry): Step {
  const requests = new Histogram({
    name: "rhizome_gateway_request_seconds",
    help: "Duration of HTTP requests to the gateway, by status",
    labelNames: ["status"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  return ({ response }, next) => {
    const startedAtMs = performance.now();
    response.once("finish", () =>
      requests.observe({ status: String(response.statusCode) }, (performance.now() - startedAtMs) / 1000),
    );
    return next();
  };
}

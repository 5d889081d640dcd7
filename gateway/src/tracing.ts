import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { tracingFor, type Tracing, type TracingSettings } from "@rhizome/kit/runtime";

/**
 * The gateway's part of a trace: a server span per GraphQL request (under the client's
 * `traceparent`, if it sent one) and a client span per subgraph request, whose `traceparent` the
 * subgraph continues. Only installed when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function useTracing(tracing: Tracing): GatewayPlugin {
  const requests = new WeakMap<Request, Span>();
  return {
    onRequest({ request, url }) {
      if (url.pathname !== "/graphql") return;
      const span = tracing.tracer.startSpan(
        `${request.method} /graphql`,
        {
          kind: SpanKind.SERVER,
          attributes: { "http.request.method": request.method, "url.path": url.pathname },
        },
        tracing.extract(Object.fromEntries(request.headers)),
      );
      requests.set(request, span);
    },
    onFetch({ context, url, options, setOptions, executionRequest }) {
      const request = (context as { request?: Request } | undefined)?.request;
      const parent = request && requests.get(request);
      if (!parent) return;
      const subgraph = executionRequest?.subgraphName ?? new URL(url).host;
      const span = tracing.tracer.startSpan(
        `${options.method ?? "POST"} ${subgraph}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            "http.request.method": options.method ?? "POST",
            "url.full": url,
            "rhizome.subgraph": subgraph,
          },
        },
        trace.setSpan(ROOT_CONTEXT, parent),
      );
      const headers = new Headers(options.headers as HeadersInit | undefined);
      for (const [name, value] of Object.entries(tracing.inject(trace.setSpan(ROOT_CONTEXT, span))))
        headers.set(name, value);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
      return ({ response }) => {
        span.setAttribute("http.response.status_code", response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
    onResponse({ request, response }) {
      const span = requests.get(request);
      if (!span) return;
      requests.delete(request);
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** The gateway's tracer and plugin, or nothing at all when no OTLP endpoint is configured. */
export async function gatewayTracing(
  settings: Partial<TracingSettings>,
): Promise<{ plugins: GatewayPlugin[]; shutdown(): Promise<void> }> {
  const tracing = await tracingFor("gateway", settings);
  return tracing
    ? { plugins: [useTracing(tracing)], shutdown: () => tracing.shutdown() }
    : { plugins: [], shutdown: async () => undefined };
}

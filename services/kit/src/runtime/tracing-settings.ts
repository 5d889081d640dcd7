import { z } from "zod";

/**
 * The standard OpenTelemetry variables a process reads. Without an endpoint tracing is off and the
 * OpenTelemetry libraries are not even loaded (see tracing.ts).
 */
export const tracingSettings = () => ({
  /** The collector's base URL (traces go to `<it>/v1/traces`); unset, tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** The full traces URL, over the base one. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** Default: the service's name. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** How long finished spans wait before they are sent in a batch. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(60_000).default(5_000),
});

export type TracingSettings = {
  [K in keyof ReturnType<typeof tracingSettings>]: z.infer<ReturnType<typeof tracingSettings>[K]>;
};

export function tracesUrlOf(settings: Partial<TracingSettings>): string | undefined {
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!settings.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
}

/** Loads the OpenTelemetry libraries and starts a tracer for `service` only when an endpoint is configured. */
export async function tracingFor(service: string, settings: Partial<TracingSettings>) {
  if (!tracesUrlOf(settings)) return undefined;
  const { startTracing } = await import("./tracing.js");
  return startTracing(service, settings);
}

import {
  context as contexts,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { NextFunction, Request, Response } from "express";
import type { DataSource } from "typeorm";
import type { Job, Queue } from "bullmq";
import { tracesUrlOf, type TracingSettings } from "./tracing-settings.js";

/**
 * Traces: one trace per request across the gateway, the subgraphs it calls, their SQL and the queue
 * jobs they enqueue, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it,
 * nothing here runs: no provider, no wrapped function, no span object on the request path.
 * Spans are made explicitly at the seams the kit owns (HTTP entry, database pool, queues) rather
 * than by module patching, which compiled ESM does not allow without a loader hook.
 */
export type Carrier = Record<string, string>;

export interface Tracing {
  tracer: Tracer;
  /** Express middleware for a subgraph's /graphql (see traceRequests). */
  requests(service: string): (request: Request, response: Response, next: NextFunction) => void;
  /** Spans for the SQL of traced requests and jobs (see traceQueries). */
  queries(dataSource: DataSource, schema: string): void;
  /** The queue, carrying the trace of whoever enqueues (see traceQueue). */
  queue(queue: Queue): Queue;
  /** Runs a job under a consumer span (see traceJob). */
  job<T>(queueName: string, job: Job, work: () => Promise<T>): Promise<T>;
  /** The trace context a caller sent (`traceparent`, `tracestate`), or none. */
  extract(headers: Record<string, string | string[] | undefined>): Context;
  /** `traceparent` (and `tracestate`) for the span of `context`. */
  inject(context: Context): Carrier;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
let contextManagerInstalled = false;

/** The process's one context manager: async code carries the active span across awaits. */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  contexts.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

/**
 * A tracer of its own for one service, even when several share a process (`npm start`): each
 * exports under its own service.name. Undefined when no OTLP endpoint is configured.
 */
export function startTracing(service: string, settings: Partial<TracingSettings>): Tracing | undefined {
  const url = tracesUrlOf(settings);
  if (!url) return undefined;
  installContextManager();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), {
        scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
      }),
    ],
  });
  const getter = {
    keys: (carrier: Record<string, string | string[] | undefined>) => Object.keys(carrier),
    get: (carrier: Record<string, string | string[] | undefined>, key: string) => carrier[key],
  };
  const tracing: Tracing = {
    tracer: provider.getTracer("rhizome"),
    extract: (headers) => propagator.extract(ROOT_CONTEXT, headers, getter),
    inject(context) {
      const carrier: Carrier = {};
      propagator.inject(context, carrier, { set: (target, key, value) => void (target[key] = value) });
      return carrier;
    },
    requests: (name) => traceRequests(tracing, name),
    queries: (dataSource, schema) => traceQueries(tracing, dataSource, schema),
    queue: (queue) => traceQueue(tracing, queue),
    job: (queueName, job, work) => traceJob(tracing, queueName, job, work),
    shutdown: () => provider.shutdown(),
  };
  return tracing;
}

/** Ends `span` with the outcome of `work`, which runs with the span active. */
export async function inSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await contexts.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Express middleware for a subgraph's /graphql, after the body is read: a server span under the
 * caller's `traceparent` (the gateway's), active while the operation runs.
 */
export function traceRequests(tracing: Tracing, service: string) {
  return (request: Request, response: Response, next: NextFunction) => {
    const parent = tracing.extract(request.headers);
    const span = tracing.tracer.startSpan(
      `${request.method} ${request.baseUrl || request.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          "url.path": request.baseUrl || request.path,
          "rhizome.service": service,
        },
      },
      parent,
    );
    response.once("finish", () => {
      span.setAttribute("http.response.status_code", response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    contexts.with(trace.setSpan(parent, span), next);
  };
}

const QUOTED_TEXT = /'(?:[^']|'')*'/g;
const NUMBER = /(?<![\w$"])\d+(?:\.\d+)?\b/g;
const MAX_STATEMENT_CHARS = 2_000;

/** A statement as it may appear in a trace: literals become `?` (parameters never appear), so no value a member typed is exported. */
export function statementForTrace(sql: string): string {
  return sql.replace(QUOTED_TEXT, "?").replace(NUMBER, "?").replace(/\s+/g, " ").trim().slice(0, MAX_STATEMENT_CHARS);
}

type QueryFunction = (...args: unknown[]) => unknown;
const tracedClients = new WeakSet<object>();

/**
 * A span for every SQL statement sent while a request or job is traced (statements outside one,
 * such as the event consumer's polling, make none). Wraps the pool clients TypeORM takes.
 */
export function traceQueries(tracing: Tracing, dataSource: DataSource, schema: string): void {
  // eslint-disable-next-line no-restricted-syntax -- TypeORM's Postgres driver does not declare obtainMasterConnection, which it uses for every query
  const driver = dataSource.driver as unknown as {
    obtainMasterConnection(): Promise<[{ query: QueryFunction }, () => void]>;
  };
  const obtain = driver.obtainMasterConnection.bind(driver);
  driver.obtainMasterConnection = async () => {
    const [client, release] = await obtain();
    if (!tracedClients.has(client)) {
      tracedClients.add(client);
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        const parent = contexts.active();
        const sql = typeof args[0] === "string" ? args[0] : undefined;
        // Only the promise form (TypeORM's): a callback or a query object passes through untouched.
        if (!sql || typeof args[args.length - 1] === "function" || !trace.getSpan(parent)) return query(...args);
        const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "SQL";
        const span = tracing.tracer.startSpan(
          `${operation} ${schema}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              "db.system.name": "postgresql",
              "db.namespace": schema,
              "db.operation.name": operation,
              "db.query.text": statementForTrace(sql),
            },
          },
          parent,
        );
        return inSpan(span, parent, () => query(...args) as Promise<unknown>);
      };
    }
    return [client, release];
  };
}

/** Carries the enqueuing request's trace in each job's options (BullMQ keeps `telemetry.metadata` with the job). */
export function traceQueue(tracing: Tracing, queue: Queue): Queue {
  const add = queue.add.bind(queue);
  const addBulk = queue.addBulk.bind(queue);
  const sending = <T>(count: number, work: (metadata: string) => Promise<T>): Promise<T> => {
    const parent = contexts.active();
    if (!trace.getSpan(parent)) return work("");
    const span = tracing.tracer.startSpan(
      `send ${queue.name}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.system": "bullmq",
          "messaging.destination.name": queue.name,
          "messaging.batch.message_count": count,
        },
      },
      parent,
    );
    return inSpan(span, parent, () => work(JSON.stringify(tracing.inject(trace.setSpan(parent, span)))));
  };
  const withMetadata = <O extends { telemetry?: { metadata?: string } } | undefined>(opts: O, metadata: string) =>
    metadata ? { ...opts, telemetry: { ...opts?.telemetry, metadata } } : opts;
  queue.add = ((name, data, opts) =>
    sending(1, (metadata) => add(name, data, withMetadata(opts, metadata)))) as Queue["add"];
  queue.addBulk = ((jobs) =>
    sending(jobs.length, (metadata) =>
      addBulk(jobs.map((job) => ({ ...job, opts: withMetadata(job.opts, metadata) }))),
    )) as Queue["addBulk"];
  return queue;
}

/** Runs a job under a consumer span: a child of the span that enqueued it, or a trace of its own. */
export function traceJob<T>(tracing: Tracing, queueName: string, job: Job, work: () => Promise<T>): Promise<T> {
  let parent = ROOT_CONTEXT;
  const metadata = job.opts.telemetry?.metadata;
  if (metadata) {
    try {
      parent = tracing.extract(JSON.parse(metadata) as Carrier);
    } catch {
      // Metadata written by something else: the job gets a trace of its own.
    }
  }
  const span = tracing.tracer.startSpan(
    `process ${queueName}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "bullmq",
        "messaging.destination.name": queueName,
        "messaging.operation.name": job.name,
        "messaging.message.id": job.id ?? "",
        "rhizome.job.attempt": job.attemptsMade + 1,
      },
    },
    parent,
  );
  return inSpan(span, parent, work);
}

import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { REQUEST_ID_HEADER } from "@rhizome/kit/runtime";
import type { Exchange } from "./pipeline.js";

/** Why a subgraph request was ended; subgraph-failures.ts turns it into SERVICE_UNAVAILABLE. */
export class SubgraphTimeoutError extends Error {
  override name = "TimeoutError";
  constructor(subgraph: string, timeoutMs: number) {
    super(`The ${subgraph} subgraph did not answer within ${timeoutMs} ms: timed out.`);
  }
}

/** Why a subgraph request was ended before its answer: the client that asked has hung up. */
export class ClientGoneError extends Error {
  override name = "AbortError";
  constructor(subgraph: string) {
    super(`The client left before the ${subgraph} subgraph answered: aborted.`);
  }
}

/** The part of a fetch Response the HTTP executor and the other plugins read. */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly headers: Headers;
  constructor(
    readonly status: number,
    readonly statusText: string,
    rawHeaders: IncomingHttpHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    // eslint-disable-next-line no-restricted-syntax -- a read-only view the HTTP executor only reads with get(); a Headers object would copy every header per request
    this.headers = new LazyHeaders(rawHeaders) as unknown as Headers;
  }
  text(): Promise<string> {
    return Promise.resolve(this.body);
  }
  json(): Promise<unknown> {
    return Promise.resolve().then(() => JSON.parse(this.body) as unknown);
  }
}

/** Node's parsed headers read through the few Headers methods the runtime calls; a full Headers object is built only when asked for more. */
class LazyHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  entries(): IterableIterator<[string, string]> {
    return this.full().entries();
  }
  forEach(callback: (value: string, name: string) => void): void {
    this.full().forEach(callback);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.full().entries();
  }
  private full(): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.raw)) {
      for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) headers.append(name, item);
    }
    return headers;
  }
}

export type FetchOptions = { method?: string; headers?: unknown; body?: unknown };

function plainHeaders(headers: unknown, contentLength: number): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  if (headers instanceof Headers) headers.forEach((value, name) => (result[name] = value));
  else if (headers && typeof headers === "object") {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>))
      if (typeof value === "string") result[name] = value;
  }
  result["content-length"] = contentLength;
  return result;
}

type Send = (subgraph: string, url: string, options: FetchOptions) => InFlight;

interface Target {
  isHttps: boolean;
  host: string;
  port: string;
  path: string;
}

/** Each subgraph URL parsed once. */
function parsedTargets(): (url: string) => Target {
  const targets = new Map<string, Target>();
  return (url) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = {
        isHttps: parsed.protocol === "https:",
        host: parsed.hostname,
        port: parsed.port,
        path: `${parsed.pathname}${parsed.search}`,
      };
      targets.set(url, target);
    }
    return target;
  };
}

/** Sends one subgraph request over kept-alive connections, with its timer; `cancel` ends it at once. */
function subgraphSender(timeoutMs: number): Send {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const targetOf = parsedTargets();

  return (subgraph: string, url: string, options: FetchOptions): InFlight => {
    const target = targetOf(url);
    const body = typeof options.body === "string" ? options.body : "";
    let cancel = () => {};
    const answer = new Promise<SubgraphResponse>((resolve, reject) => {
      const request = (target.isHttps ? httpsRequest : httpRequest)(
        {
          agent: target.isHttps ? agents.https : agents.http,
          host: target.host,
          port: target.port,
          path: target.path,
          method: options.method ?? "POST",
          headers: plainHeaders(options.headers, Buffer.byteLength(body)),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", fail);
          response.on("close", () => {
            if (!response.complete) fail(new Error(`The ${subgraph} subgraph's answer was cut off: aborted.`));
          });
          response.on("end", () => {
            clearTimeout(timer);
            resolve(
              new SubgraphResponse(
                response.statusCode ?? 502,
                response.statusMessage ?? "",
                response.headers,
                Buffer.concat(chunks).toString("utf8"),
              ),
            );
          });
        },
      );
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      const timer = setTimeout(() => request.destroy(new SubgraphTimeoutError(subgraph, timeoutMs)), timeoutMs);
      cancel = () => request.destroy(new ClientGoneError(subgraph));
      request.on("error", fail);
      request.end(body);
    });
    const flight: InFlight = {
      answer,
      waiting: 0,
      isCancelled: false,
      cancel() {
        flight.isCancelled = true;
        cancel();
      },
    };
    return flight;
  };
}

/**
 * Identical subgraph reads in flight at once (same subgraph, document, variables and credentials)
 * share one request, as the HTTP executor's own sharing did. A client that leaves stops waiting at
 * once; the shared request is cancelled only when no one waits for it any more. A waiter without
 * a signal (a write's) never leaves.
 */
function sharingReads(send: Send) {
  const inFlight = new Map<string, InFlight>();
  return (subgraph: string, url: string, options: FetchOptions, signal: ClientSignal | undefined) => {
    if (signal?.aborted) return Promise.reject(new ClientGoneError(subgraph));
    const key = sharingKeyOf(url, options);
    let flight = inFlight.get(key);
    if (!flight || flight.isCancelled) {
      const started = send(subgraph, url, options);
      flight = started;
      inFlight.set(key, started);
      const forget = () => {
        if (inFlight.get(key) === started) inFlight.delete(key);
      };
      started.answer.then(forget, forget);
    }
    return waitFor(flight, subgraph, signal);
  };
}

/** How the gateway sends subgraph requests, shared by the runtime's path and the fast lane (fast-lane.ts). */
export interface SubgraphRequests {
  /** One request of its own, never shared: a write's. */
  send: Send;
  /** A read, shared with an identical one in flight; ends for this client when `signal` does. */
  fetchRead: (
    subgraph: string,
    url: string,
    options: FetchOptions,
    signal: ClientSignal | undefined,
  ) => Promise<SubgraphResponse>;
}

export function createSubgraphRequests(timeoutMs: number): SubgraphRequests {
  const send = subgraphSender(timeoutMs);
  return { send, fetchRead: sharingReads(send) };
}

/** What a waiter needs of an abort signal: the request's own, or the fast lane's view of its client's connection. */
export interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * Sends subgraph requests with Node's own HTTP client over kept-alive connections, with one timer
 * per request, cleared when the answer has arrived, that ends the request after `timeoutMs`.
 *
 * What it replaces, profiled under load: the runtime's fetch (WHATWG streams and promise helpers
 * around undici) and abort signals. The HTTP executor joins the signal it is given with one that
 * lives as long as the executor, through an abort listener on that long-lived signal per request,
 * dropped only when the request's signal is garbage collected; adding a listener walks the ones
 * already there, so it grew with the load to 15% of the gateway's CPU. Without a request signal
 * the executor uses its own alone and adds nothing.
 *
 * A client that hangs up cancels the subgraph requests its read started (the request's own signal,
 * which whatwg-node ends when the client's connection closes, given to this fetch alone), instead
 * of leaving them to run to the timeout. A write's are left to finish: a member who closes the page
 * after sending must not leave an operation half done across subgraphs.
 */
export function useSubgraphFetch({ send, fetchRead }: SubgraphRequests): GatewayPlugin {
  return {
    onSubgraphExecute({ executor, setExecutor }) {
      setExecutor((request) => executor(request.signal ? { ...request, signal: undefined } : request));
    },
    onFetch({ options, context, executionRequest, setFetchFn }) {
      const subgraph = executionRequest?.subgraphName;
      // Subscriptions stream their answer (text/event-stream); none of Rhizome's subgraphs has any today.
      const accept = (options.headers as Record<string, unknown> | undefined)?.accept;
      if (!subgraph || (typeof accept === "string" && accept.includes("event-stream"))) return;
      if (options.body !== undefined && typeof options.body !== "string") return;
      const isSharable = executionRequest?.operationType === "query" || executionRequest?.operationType === undefined;
      const signal = isRead(context) ? (context as { request?: Request }).request?.signal : undefined;
      const fetchFn = (fetchUrl: string, fetchOptions: FetchOptions) =>
        isSharable
          ? fetchRead(subgraph, fetchUrl, fetchOptions, signal)
          : send(subgraph, fetchUrl, fetchOptions).answer;
      // eslint-disable-next-line no-restricted-syntax -- node:http stands in for fetch on subgraph requests; the executor calls it with a URL and these options only
      setFetchFn(fetchFn as unknown as typeof fetch);
    },
  };
}

/** One subgraph request in flight, and how many clients wait for it. */
interface InFlight {
  answer: Promise<SubgraphResponse>;
  waiting: number;
  /** Cancelled when its last client left: nobody may join it any more. */
  isCancelled: boolean;
  cancel(): void;
}

/** Waits for `flight` until its answer, or until this client's signal ends. */
function waitFor(flight: InFlight, subgraph: string, signal: ClientSignal | undefined): Promise<SubgraphResponse> {
  flight.waiting++;
  if (!signal) return flight.answer;
  return new Promise<SubgraphResponse>((resolve, reject) => {
    const leave = () => {
      if (--flight.waiting === 0) flight.cancel();
      reject(new ClientGoneError(subgraph));
    };
    signal.addEventListener("abort", leave, { once: true });
    flight.answer.then(
      (answer) => {
        signal.removeEventListener("abort", leave);
        resolve(answer);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", leave);
        reject(error as Error);
      },
    );
  });
}

/** Headers that differ per client request even when the subgraph request is the same. */
const PER_REQUEST_HEADERS = new Set([REQUEST_ID_HEADER, "traceparent", "tracestate"]);

function sharingKeyOf(url: string, options: FetchOptions): string {
  let key = `${options.method ?? "POST"} ${url}\u0000${typeof options.body === "string" ? options.body : ""}`;
  const headers = plainHeaders(options.headers, 0);
  for (const name of Object.keys(headers).sort())
    if (!PER_REQUEST_HEADERS.has(name)) key += `\u0000${name}:${String(headers[name])}`;
  return key;
}

/** A query (GraphQL over HTTP runs nothing else from GET), as the pipeline read it (operations.ts). */
function isRead(context: unknown): boolean {
  const exchange = (context as { exchange?: Exchange } | undefined)?.exchange;
  return exchange?.request.method === "GET" || exchange?.operation?.kind === "query";
}

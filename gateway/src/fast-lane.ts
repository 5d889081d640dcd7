import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  API_KEY_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  OPERATOR_KEY_HEADER,
  type PersonTokenVerifier,
} from "@rhizome/kit/auth";
import { REQUEST_ID_HEADER } from "@rhizome/kit/runtime";
import type { Answer } from "./answers.js";
import type { Exchange, Step } from "./pipeline.js";
import type { ClientSignal, SubgraphRequests } from "./subgraph-fetch.js";
import { BEARER } from "./token-check.js";

/** The headers the runtime's HTTP executor sends every subgraph request with. */
const SUBGRAPH_ACCEPT = "application/graphql-response+json, application/json, multipart/mixed";
/** Where a login is asked for (rate-limits.ts counts those apart): always the runtime's. */
const LOGIN_FIELD = /\blogin\s*\(/;
/** What the runtime answers a JSON POST with, by the client's Accept header; any other is left to it. */
const ANSWER_TYPES: ReadonlyMap<string | undefined, string> = new Map([
  ["application/json", "application/json; charset=utf-8"],
  ["application/graphql-response+json", "application/graphql-response+json; charset=utf-8"],
]);

export interface FastLaneOptions {
  /** Each subgraph's URL, by name, from the supergraph. */
  subgraphUrls: ReadonlyMap<string, string>;
  /** The same sender the runtime's path uses (subgraph-fetch.ts): one timeout, identical reads shared. */
  requests: SubgraphRequests;
  /** The gateway's signature for a subgraph, as the runtime's path sends it. */
  gatewaySignature: (subgraph: string) => Promise<string>;
  /** How many requests that may write have ended (coalescing.ts). */
  writesEnded: () => number;
  /** The token check's verifier (cached until a token expires). */
  verifyPersonToken: PersonTokenVerifier;
  /** Counts the request against its client's rate limit; false when spent. */
  mayRequest: (request: IncomingMessage) => Promise<boolean>;
  /** PERSISTED_OPERATIONS_ONLY: anonymous callers may send no query text. */
  isPersistedOnly: boolean;
  /** Times each subgraph request, as the runtime's path does (metrics.ts). */
  onSubgraphAnswered?: (subgraph: string, outcome: "ok" | "error", seconds: number) => void;
  /** Counts the requests the fast lane answered, by subgraph. */
  onAnswered?: (subgraph: string) => void;
}

/** The client's connection as a signal: it ends when the client hangs up before its answer. */
class ClientGone implements ClientSignal {
  constructor(private readonly response: ServerResponse) {}
  get aborted(): boolean {
    return this.response.destroyed;
  }
  addEventListener(_type: "abort", listener: () => void): void {
    this.response.once("close", listener);
  }
  removeEventListener(_type: "abort", listener: () => void): void {
    this.response.off("close", listener);
  }
}

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

/** The answer is the runtime's, to the byte: data only, no error, no extension (see `isCleanBody`). */
const CLEAN_START = '{"data":{';

/**
 * True when a subgraph's answer is `{"data":{...}}` and nothing else: what the runtime would
 * serialize for it is the same text. Anything else (errors, extensions, a null root) goes to the
 * runtime, whose plan, masking and codes then answer it as they always do.
 */
function isCleanBody(body: string): boolean {
  return body.startsWith(CLEAN_START) && !body.includes('"errors":') && !body.includes('"extensions":');
}

/** A runtime answer that proves its document passes every check on documents. */
function isCleanAnswer(answer: Answer | undefined): boolean {
  return !!answer && answer.status === 200 && isCleanBody(answer.body.toString("utf8"));
}

/** Whether every check that depends on the caller lets this request take the fast lane, as the runtime would make it. */
async function mayTakeFastLane(options: FastLaneOptions, exchange: Exchange, subgraph: string): Promise<boolean> {
  const { request } = exchange;
  if (request.method !== "POST" || !options.subgraphUrls.has(subgraph)) return false;
  const headers = request.headers;
  if (!ANSWER_TYPES.has(headerText(headers.accept))) return false;
  if (headerText(headers["content-type"])?.split(";")[0].trim() !== "application/json") return false;
  if (headers[API_KEY_HEADER] !== undefined || headers[OPERATOR_KEY_HEADER] !== undefined) return false;
  const params = exchange.params as Record<string, unknown>;
  for (const key in params) if (key !== "query" && key !== "variables" && key !== "operationName") return false;
  if (typeof params.query !== "string" || LOGIN_FIELD.test(params.query)) return false;
  const { variables } = params;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables)))
    return false;
  const authorization = headerText(headers.authorization);
  if (authorization === undefined) {
    if (options.isPersistedOnly) return false;
  } else {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return false;
    try {
      await options.verifyPersonToken(token);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The fast lane: a query that one subgraph answers by itself (operations.ts decides it once per
 * document, single-subgraph.ts) goes straight to that subgraph, without the runtime's request
 * handling, planning and result merging, once the runtime has answered the same document cleanly
 * (so it passed validation, the depth, alias and token limits, introspection's ban and the cost
 * limit, none of which depends on who asks). Every check that does depend on the caller is made
 * here as the runtime makes it, or the request goes to the runtime: a token is verified (a bad one
 * goes to the runtime, which answers 401), an API key or operator key always goes to the runtime,
 * as does query text from an anonymous caller when only registered operations are allowed, a
 * login, a persisted operation, a GET, and a client's extensions. The rate limit counts it once.
 *
 * The subgraph receives the client's own document and variables with the headers the runtime's
 * path sends (forwarded credentials, request id, gateway signature, the writes-ended count) through
 * the same sender: one timeout, identical reads in flight shared, cancelled when the client hangs
 * up. Only an answer that is data and nothing else is given to the client as it came, which is
 * what the runtime would have answered; any error (a refusal, a failure, a timeout, a variable of
 * the wrong type) sends the request through the runtime, which answers it with its masking and
 * codes (a second subgraph request, on that rare path).
 */
export function fastLane(options: FastLaneOptions): Step {
  const urlOf = (subgraph: string) => options.subgraphUrls.get(subgraph);

  const forward = async (exchange: Exchange, subgraph: string): Promise<Answer | undefined> => {
    const { request, response } = exchange;
    const requestId = headerText(request.headers[REQUEST_ID_HEADER]) || randomUUID();
    const headers: Record<string, string> = { accept: SUBGRAPH_ACCEPT };
    const { authorization } = request.headers;
    if (authorization !== undefined) headers.authorization = authorization;
    headers[REQUEST_ID_HEADER] = requestId;
    headers[GATEWAY_SIGNATURE_HEADER] = await options.gatewaySignature(subgraph);
    headers["x-rhizome-writes-ended"] = String(options.writesEnded());
    headers["content-type"] = "application/json";
    const startedAtMs = performance.now();
    let body: string;
    let status: number;
    try {
      const answer = await options.requests.fetchRead(
        subgraph,
        urlOf(subgraph)!,
        { method: "POST", headers, body: exchange.body.toString("utf8") },
        new ClientGone(response),
      );
      status = answer.status;
      // Apollo Server ends its JSON with a newline; the runtime's answer has none.
      body = (await answer.text()).trimEnd();
    } catch {
      options.onSubgraphAnswered?.(subgraph, "error", (performance.now() - startedAtMs) / 1000);
      return undefined;
    }
    const isClean = status === 200 && isCleanBody(body);
    options.onSubgraphAnswered?.(subgraph, isClean ? "ok" : "error", (performance.now() - startedAtMs) / 1000);
    if (!isClean) return undefined;
    return {
      status: 200,
      headers: {
        "content-type": ANSWER_TYPES.get(headerText(request.headers.accept))!,
        [REQUEST_ID_HEADER]: requestId,
      },
      body: Buffer.from(body),
    };
  };

  return async (exchange, next) => {
    const operation = exchange.operation;
    const subgraph = operation?.singleSubgraph;
    if (!operation || !subgraph || operation.kind !== "query") return next();
    if (!operation.hasRunCleanly) {
      const answer = await next();
      if (isCleanAnswer(answer)) operation.hasRunCleanly = true;
      return answer;
    }
    if (!(await mayTakeFastLane(options, exchange, subgraph))) return next();
    if (!(await options.mayRequest(exchange.request))) return next();
    // Counted once: if the runtime answers it after all, its rate limit does not count it again.
    exchange.isCounted = true;
    const answer = await forward(exchange, subgraph);
    if (answer) {
      options.onAnswered?.(subgraph);
      return answer;
    }
    // The client has gone: nobody reads an answer.
    if (exchange.response.destroyed) return undefined;
    return next();
  };
}

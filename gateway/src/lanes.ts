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
import type { Exchange } from "./pipeline.js";
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

/** What the gateway's lanes past the runtime (the fast lane, the plan lane) share with the runtime's path. */
export interface LaneOptions {
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
  /**
   * The ids of the member app's registered operations (app-operations.ts), which every caller may
   * run by id: a request naming one of them by id may take a lane. Any other id is the runtime's,
   * which asks network whether this caller may run it.
   */
  appDocumentIds?: ReadonlySet<string>;
}

/** The keys a request's JSON body may have to take a lane, besides the id of a registered operation. */
const LANE_KEYS = new Set(["query", "variables", "operationName"]);

/**
 * Whether the body names one of the member app's operations by id and nothing else the runtime
 * would read: `documentId`, or Apollo's `extensions: { persistedQuery: { version: 1, sha256Hash } }`.
 */
function namesAppOperation(options: LaneOptions, params: Record<string, unknown>): boolean {
  if (!options.appDocumentIds || params.query !== undefined) return false;
  const { documentId, extensions } = params;
  if (typeof documentId === "string")
    return extensions === undefined && options.appDocumentIds.has(documentId.replace(/^sha256:/, ""));
  if (!extensions || typeof extensions !== "object" || Object.keys(extensions).join() !== "persistedQuery")
    return false;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (!persisted || typeof persisted !== "object") return false;
  const { version, sha256Hash, ...others } = persisted as Record<string, unknown>;
  return (
    version === 1 &&
    typeof sha256Hash === "string" &&
    Object.keys(others).length === 0 &&
    options.appDocumentIds.has(sha256Hash)
  );
}

/** The client's connection as a signal: it ends when the client hangs up before its answer. */
export class ClientGone implements ClientSignal {
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

export const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

/** The answer is the runtime's, to the byte: data only, no error, no extension (see `isCleanBody`). */
const CLEAN_START = '{"data":{';

/**
 * True when a subgraph's answer is `{"data":{...}}` and nothing else: what the runtime would
 * serialize for it is the same text. Anything else (errors, extensions, a null root) goes to the
 * runtime, whose plan, masking and codes then answer it as they always do.
 */
export function isCleanBody(body: string): boolean {
  return body.startsWith(CLEAN_START) && !body.includes('"errors":') && !body.includes('"extensions":');
}

/** A runtime answer that proves its document passes every check on documents. */
function isCleanAnswer(answer: Answer | undefined): boolean {
  return !!answer && answer.status === 200 && isCleanBody(answer.body.toString("utf8"));
}

/**
 * Sends a document to the runtime until the runtime has answered it cleanly once: then it has
 * passed validation, every limit on documents and the cost limit, none of which depends on who
 * asks, and a lane may answer it. Returns undefined once the document is proven.
 */
export async function runUntilProven(
  exchange: Exchange,
  next: () => Promise<Answer | undefined>,
): Promise<{ answer: Answer | undefined } | undefined> {
  const operation = exchange.operation!;
  if (operation.hasRunCleanly) return undefined;
  const answer = await next();
  if (isCleanAnswer(answer)) operation.hasRunCleanly = true;
  return { answer };
}

/**
 * Whether every check that depends on the caller lets this request take a lane, as the runtime
 * would make it: a POST of JSON answered as JSON, a verified member's token or an anonymous caller
 * where query text is allowed (or one of the member app's operations by id), no API or operator
 * key, no other extensions, no login, variables an object.
 */
export async function mayTakeLane(options: LaneOptions, exchange: Exchange): Promise<boolean> {
  const { request } = exchange;
  if (request.method !== "POST") return false;
  const headers = request.headers;
  if (!ANSWER_TYPES.has(headerText(headers.accept))) return false;
  if (headerText(headers["content-type"])?.split(";")[0].trim() !== "application/json") return false;
  if (headers[API_KEY_HEADER] !== undefined || headers[OPERATOR_KEY_HEADER] !== undefined) return false;
  const params = exchange.params as Record<string, unknown>;
  const isById = namesAppOperation(options, params);
  for (const key in params)
    if (!LANE_KEYS.has(key) && !(isById && (key === "documentId" || key === "extensions"))) return false;
  const text = isById ? exchange.operation?.source : params.query;
  if (typeof text !== "string" || LOGIN_FIELD.test(text)) return false;
  const { variables } = params;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables)))
    return false;
  const authorization = headerText(headers.authorization);
  if (authorization === undefined) {
    if (options.isPersistedOnly && !isById) return false;
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

/** The request id the runtime would answer with: the client's own, or a new one. */
export const requestIdOf = (request: IncomingMessage) => headerText(request.headers[REQUEST_ID_HEADER]) || randomUUID();

/**
 * The headers the runtime's path sends a subgraph for this request: the caller's own credentials,
 * the request id, the gateway's signature for that subgraph, and how many writes had ended.
 */
export async function subgraphHeaders(
  options: LaneOptions,
  request: IncomingMessage,
  requestId: string,
  subgraph: string,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { accept: SUBGRAPH_ACCEPT };
  const { authorization } = request.headers;
  if (authorization !== undefined) headers.authorization = authorization;
  headers[REQUEST_ID_HEADER] = requestId;
  headers[GATEWAY_SIGNATURE_HEADER] = await options.gatewaySignature(subgraph);
  headers["x-rhizome-writes-ended"] = String(options.writesEnded());
  headers["content-type"] = "application/json";
  return headers;
}

/** A lane's answer: status 200 with the runtime's content type for the client's Accept header. */
export function laneAnswer(request: IncomingMessage, requestId: string, body: string): Answer {
  return {
    status: 200,
    headers: {
      "content-type": ANSWER_TYPES.get(headerText(request.headers.accept))!,
      [REQUEST_ID_HEADER]: requestId,
    },
    body: Buffer.from(body),
  };
}

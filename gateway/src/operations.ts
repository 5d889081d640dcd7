import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { getOperationAST, parse, type DocumentNode } from "graphql";
import { ExpiringLru } from "@rhizome/kit/runtime";
import { analyse, fieldTypesOf, NOT_CACHEABLE, PUBLIC_CACHE_POLICY, type Analysis } from "./cache-policies.js";
import type { Exchange, Step } from "./pipeline.js";
import type { DocumentPlan } from "./query-plans.js";
import { singleSubgraphAnalysis } from "./single-subgraph.js";

/** What a request body asks for: a read that may share an answer, a write, or nothing the gateway will run. */
export type OperationKind = "query" | "write" | "invalid";

/** An operation parsed and analysed once for every request that sends the same document and name. */
export interface Operation {
  kind: OperationKind;
  /** The document as parsed within the token limit, handed to the runtime instead of parsing it again; undefined when it did not parse. */
  document?: DocumentNode;
  /** The text it was parsed from: the runtime is given `document` only for this very text. */
  source?: string;
  /** How long its answer may be served to anonymous callers (cache-policies.ts). */
  publicAnalysis: Analysis;
  /** The one subgraph that answers the whole query by itself (single-subgraph.ts); undefined when the runtime plans it. */
  singleSubgraph?: string;
  /** A query on object types the plan lane may execute from its plan (single-subgraph.ts `DocumentLanes`). */
  isPlainQuery?: boolean;
  /** Its query plan, once the plan lane has asked for it (plan-lane.ts); null when the runtime must run it. */
  plan?: DocumentPlan | null;
  /**
   * The runtime has answered this very document cleanly once (data, no error): it passed
   * validation, every limit on documents and the cost limit, none of which depends on who asks.
   * Only then may the fast lane (fast-lane.ts) or the plan lane (plan-lane.ts) answer it.
   */
  hasRunCleanly?: boolean;
}

export interface Operations {
  /** The operation named by a request's JSON body (`query`, or a persisted operation's id, and `operationName`). */
  of(params: unknown): Operation;
  /**
   * A registered document the runtime fetched for a persisted operation's id: from then on a
   * request that sends the id is known as a read or a write, instead of counting as a possible write.
   */
  learnDocument(documentId: string, document: string): void;
}

const KNOWN_OPERATIONS = 1_000;
const KNOWN_DOCUMENTS = 10_000;
const FOREVER = Number.MAX_SAFE_INTEGER;

/** A persisted operation by an id not seen yet, or a batch: it may write. */
const UNKNOWN_BY_ID: Operation = { kind: "write", publicAnalysis: NOT_CACHEABLE };
const INVALID: Operation = { kind: "invalid", publicAnalysis: NOT_CACHEABLE };

/**
 * Parses each operation once, by its document's text and name, for the public cache, coalescing
 * and the runtime alike (the runtime's parse is given the same document: `useSharedDocuments`).
 * Documents are parsed with the runtime's own token limit, so one that parses here would have
 * parsed there; one that does not is left to the runtime, which answers with its own error.
 */
export function createOperations(options: { supergraph: string; maxTokens: number }): Operations {
  const fieldTypes = fieldTypesOf(options.supergraph);
  const lanesOf = singleSubgraphAnalysis(options.supergraph);
  const operations = new ExpiringLru<string, Operation>(KNOWN_OPERATIONS);
  /** Registered documents by id: an id is the SHA-256 of its document, so it names one document for every caller. */
  const documents = new ExpiringLru<string, string>(KNOWN_DOCUMENTS);

  const ofDocument = (source: string, operationName: string | undefined): Operation => {
    const key = `${operationName ?? ""}\u0000${source}`;
    const known = operations.get(key, 0);
    if (known.isHit) return known.value;
    let operation: Operation = { ...INVALID, source };
    try {
      const document = parse(source, { maxTokens: options.maxTokens });
      const type = getOperationAST(document, operationName)?.operation;
      const lanes = lanesOf(document, operationName);
      operation = {
        kind: type === "query" ? "query" : type ? "write" : "invalid",
        document,
        source,
        publicAnalysis: analyse(fieldTypes, PUBLIC_CACHE_POLICY, document, operationName),
        singleSubgraph: lanes.singleSubgraph,
        isPlainQuery: lanes.isPlainQuery,
      };
    } catch {
      // Not GraphQL within the limits: the runtime refuses it, whatever it would have asked.
    }
    operations.set(key, operation, FOREVER);
    return operation;
  };

  return {
    of(params) {
      if (params === null || typeof params !== "object" || Array.isArray(params)) return UNKNOWN_BY_ID;
      const { query, operationName } = params as { query?: unknown; operationName?: unknown };
      const name = typeof operationName === "string" ? operationName : undefined;
      if (typeof query === "string") return ofDocument(query, name);
      // A persisted operation by id is what its registered document is.
      const id = documentIdOf(params);
      const known = id ? documents.get(id, 0) : undefined;
      return known?.isHit ? ofDocument(known.value, name) : UNKNOWN_BY_ID;
    },
    learnDocument(documentId, document) {
      documents.set(normalDocumentId(documentId), document, FOREVER);
    },
  };
}

const normalDocumentId = (id: string) => id.replace(/^sha256:/, "");

/** The id of a persisted operation, sent as `documentId` or as Apollo's `extensions.persistedQuery.sha256Hash`. */
function documentIdOf(params: object): string | undefined {
  const { documentId, extensions } = params as {
    documentId?: unknown;
    extensions?: { persistedQuery?: { sha256Hash?: unknown } };
  };
  if (typeof documentId === "string") return normalDocumentId(documentId);
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

/** Reads the body of a POST as JSON once and names its operation, for every later step and the runtime. */
export function readOperation(operations: Operations): Step {
  return (exchange, next) => {
    if (exchange.request.method === "POST") {
      try {
        exchange.params = JSON.parse(exchange.body.toString("utf8")) as unknown;
        exchange.operation = operations.of(exchange.params);
      } catch {
        exchange.operation = INVALID;
      }
    }
    return next();
  };
}

/** The runtime's request parser, as its plugins are given it. */
type RequestParser = Parameters<Parameters<NonNullable<GatewayPlugin["onRequestParse"]>>[0]["setRequestParser"]>[0];

const exchangeOf = (context: unknown) => (context as { exchange?: Exchange } | undefined)?.exchange;

/** What graphql-yoga's JSON body parser accepts (`isPOSTJsonRequest`): only then are the gateway's parsed params the same. */
const isJsonPost = (request: Request) => {
  if (request.method !== "POST") return false;
  const type = request.headers.get("content-type")?.split(",")[0];
  return ["application/json", "application/graphql+json"].some(
    (expected) => type === expected || !!type?.startsWith(`${expected};`),
  );
};

/**
 * Gives the runtime what the pipeline already read: the body's JSON (instead of parsing it again)
 * and the parsed document (instead of parsing the text again; the runtime's validation cache is
 * keyed by the document object, so it hits as well). Anything the pipeline could not read is left
 * to the runtime, which answers it with its own errors.
 */
export function useParsedOperations(): GatewayPlugin {
  return {
    onRequestParse({ request, serverContext, setRequestParser }) {
      const params = exchangeOf(serverContext)?.params;
      if (params === null || typeof params !== "object" || !isJsonPost(request)) return;
      const parsed = params as Awaited<ReturnType<RequestParser>>;
      setRequestParser(() => parsed);
    },
    onParse({ context, params, setParsedDocument }) {
      const operation = exchangeOf(context)?.operation;
      if (!operation?.document) return;
      const source = typeof params.source === "string" ? params.source : params.source.body;
      if (source === operation.source) setParsedDocument(operation.document);
    },
  };
}

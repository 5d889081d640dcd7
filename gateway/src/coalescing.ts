import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, parse, type OperationTypeNode } from "graphql";
import { ExpiringLru } from "@rhizome/kit/edge";
import type { RequestWithBody } from "./request-size-limit.js";
import { captureAnswer, CREDENTIAL_HEADERS, writeAnswer, type Answer } from "./answers.js";

/** Everything in a request the gateway's answer depends on, besides its body. */
const ANSWER_HEADERS = ["accept", "content-type", ...CREDENTIAL_HEADERS];

/** What a request body asks for: a read that may share an answer, a write, or nothing the gateway will run. */
type Kind = "query" | "write" | "invalid";

/** The answer of a query in flight, or undefined if its client left before it was written whole. */
type Group = Promise<Answer | undefined>;

export interface CoalescingOptions {
  /** False: every query runs on its own; writes are still watched, for `writesEnded`. */
  shareAnswers: boolean;
  /** Counts a request answered with another's answer against its client's rate limit; false when spent. */
  mayRequest: (request: IncomingMessage) => Promise<boolean>;
  onShared?: () => void;
}

export interface Coalescing {
  /** Answers `request` with the answer of an identical query already being answered, or runs `next` for it. */
  handle(request: RequestWithBody, response: ServerResponse, next: () => void): void;
  /**
   * A registered document the gateway fetched for a persisted operation's id: from then on a
   * request that sends the id is known as a read or a write, instead of counting as a possible write.
   */
  learnDocument(documentId: string, document: string): void;
  /**
   * How many requests that may write have ended. Subgraph requests carry it, so that the HTTP
   * executor, which shares identical subgraph requests in flight, never gives one begun before a
   * write ended to one begun after.
   */
  writesEnded(): number;
}

/**
 * Identical queries in flight at once share one answer: a query that arrives while the same query,
 * with the same credentials and the same wanted format, is being answered waits for that answer
 * instead of running again. Only reads share; an answer is never kept once written.
 *
 * A query never shares the answer of one that started before a write ended: when any request that
 * may write (a mutation, or anything whose kind is not known) ends, the queries then in flight take
 * no more company. So whoever learns that a write is done never reads what was there before it.
 * A refusal for too many requests belongs to one client and is never shared.
 */
export function createCoalescing(options: CoalescingOptions): Coalescing {
  const kinds = new ExpiringLru<string, Kind>(1_000);
  /** Registered documents by id: an id is the SHA-256 of its document, so it names one document for every caller. */
  const documents = new ExpiringLru<string, string>(KNOWN_DOCUMENTS);
  let open = new Map<string, Group>();
  let writesEnded = 0;

  const kindOfQuery = (query: string, operationName: string | undefined): Kind => {
    const key = `${operationName ?? ""}\u0000${query}`;
    const known = kinds.get(key, 0);
    if (known.isHit) return known.value;
    let kind: Kind = "invalid";
    try {
      const operation: OperationTypeNode | undefined = getOperationAST(
        parse(query, { maxTokens: 5_000 }),
        operationName,
      )?.operation;
      kind = operation === "query" ? "query" : operation ? "write" : "invalid";
    } catch {
      // Not GraphQL: the gateway refuses it, whatever it would have asked.
    }
    kinds.set(key, kind, Number.MAX_SAFE_INTEGER);
    return kind;
  };

  const kindOf = (request: RequestWithBody): Kind => {
    // GraphQL over HTTP runs only queries from GET.
    if (request.method === "GET") return "invalid";
    let params: unknown;
    try {
      params = JSON.parse(request.body.toString("utf8"));
    } catch {
      return "invalid";
    }
    const { query, operationName } = (params ?? {}) as { query?: unknown; operationName?: unknown };
    const name = typeof operationName === "string" ? operationName : undefined;
    if (typeof query === "string") return kindOfQuery(query, name);
    // A persisted operation by id is what its registered document is; an id not seen yet, or a batch, may write.
    const id = documentIdOf(params);
    const known = id ? documents.get(id, 0) : undefined;
    return known?.isHit ? kindOfQuery(known.value, name) : "write";
  };

  const keyOf = (request: IncomingMessage, body: Buffer) => {
    let key = `${request.method} ${request.url}`;
    for (const name of ANSWER_HEADERS) key += `\u0000${headerOf(request, name)}`;
    return `${key}\u0000${body.toString("latin1")}`;
  };

  const lead = (key: string, response: ServerResponse, next: () => void) => {
    const group: Group = new Promise((resolve) =>
      captureAnswer(response, (answer) => {
        if (open.get(key) === group) open.delete(key);
        resolve(answer && answer.status !== 429 ? answer : undefined);
      }),
    );
    open.set(key, group);
    next();
  };

  const join = (group: Group, request: IncomingMessage, response: ServerResponse, next: () => void) => {
    Promise.all([options.mayRequest(request), group]).then(
      ([isAllowed, answer]) => {
        // A refused client goes on through the gateway, which counts it again and answers 429.
        if (!isAllowed || !answer) return next();
        options.onShared?.();
        writeAnswer(request, response, answer);
      },
      () => next(),
    );
  };

  return {
    handle(request, response, next) {
      const key = options.shareAnswers ? keyOf(request, request.body) : "";
      const group = options.shareAnswers ? open.get(key) : undefined;
      if (group) return join(group, request, response, next);
      const kind = kindOf(request);
      if (kind === "query" && options.shareAnswers) return lead(key, response, next);
      if (kind === "write") {
        response.once("close", () => {
          writesEnded++;
          open = new Map();
        });
      }
      next();
    },
    writesEnded: () => writesEnded,
    learnDocument(documentId, document) {
      documents.set(normalDocumentId(documentId), document, Number.MAX_SAFE_INTEGER);
    },
  };
}

const KNOWN_DOCUMENTS = 10_000;

const normalDocumentId = (id: string) => id.replace(/^sha256:/, "");

/** The id of a persisted operation, sent as `documentId` or as Apollo's `extensions.persistedQuery.sha256Hash`. */
function documentIdOf(params: unknown): string | undefined {
  const { documentId, extensions } = (params ?? {}) as {
    documentId?: unknown;
    extensions?: { persistedQuery?: { sha256Hash?: unknown } };
  };
  if (typeof documentId === "string") return normalDocumentId(documentId);
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

function headerOf(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return value === undefined ? "" : Array.isArray(value) ? value.join(", ") : value;
}

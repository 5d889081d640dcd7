import type { IncomingMessage } from "node:http";
import { CREDENTIAL_HEADERS, reusableAnswer, type Answer } from "./answers.js";
import type { Exchange, Step } from "./pipeline.js";

/** Everything in a request the gateway's answer depends on, besides its body. */
const ANSWER_HEADERS = ["accept", "content-type", ...CREDENTIAL_HEADERS];

/** The answer of a query in flight, or undefined if its client left before it was answered. */
type Group = Promise<Answer | undefined>;

export interface CoalescingOptions {
  /** False: every query runs on its own; writes are still watched, for `writesEnded`. */
  shareAnswers: boolean;
  /** Counts a request answered with another's answer against its client's rate limit; false when spent. */
  mayRequest: (request: IncomingMessage) => Promise<boolean>;
  onShared?: () => void;
}

export interface Coalescing {
  /** Answers an exchange with the answer of an identical query already being answered, or asks the rest of the pipeline. */
  step: Step;
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
  let open = new Map<string, Group>();
  let writesEnded = 0;

  const keyOf = (request: IncomingMessage, body: Buffer) => {
    let key = `${request.method} ${request.url}`;
    for (const name of ANSWER_HEADERS) key += `\u0000${headerOf(request, name)}`;
    return `${key}\u0000${body.toString("latin1")}`;
  };

  const lead = (key: string, exchange: Exchange, next: () => Promise<Answer | undefined>) => {
    const answered = next();
    const group: Group = answered.then(
      // A client that left may have cancelled its subgraph requests: its answer is its own.
      (answer) =>
        answer && answer.status !== 429 && !exchange.response.destroyed ? reusableAnswer(answer) : undefined,
      () => undefined,
    );
    open.set(key, group);
    void group.then(() => {
      if (open.get(key) === group) open.delete(key);
    });
    return answered;
  };

  const join = async (group: Group, request: IncomingMessage, next: () => Promise<Answer | undefined>) => {
    try {
      const [isAllowed, answer] = await Promise.all([options.mayRequest(request), group]);
      // A refused client goes on through the gateway, which counts it again and answers 429.
      if (!isAllowed || !answer) return next();
      options.onShared?.();
      return answer;
    } catch {
      return next();
    }
  };

  return {
    step(exchange, next) {
      const { request, response } = exchange;
      const key = options.shareAnswers ? keyOf(request, exchange.body) : "";
      const group = options.shareAnswers ? open.get(key) : undefined;
      if (group) return join(group, request, next);
      // GraphQL over HTTP runs only queries from GET.
      const kind = request.method === "GET" ? "invalid" : (exchange.operation?.kind ?? "invalid");
      if (kind === "query" && options.shareAnswers) return lead(key, exchange, next);
      if (kind === "write") {
        response.once("close", () => {
          writesEnded++;
          open = new Map();
        });
      }
      return next();
    },
    writesEnded: () => writesEnded,
  };
}

function headerOf(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return value === undefined ? "" : Array.isArray(value) ? value.join(", ") : value;
}

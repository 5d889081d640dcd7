import type { Answer } from "./answers.js";
import {
  ClientGone,
  isCleanBody,
  laneAnswer,
  mayTakeLane,
  requestIdOf,
  runUntilProven,
  subgraphHeaders,
  type LaneOptions,
} from "./lanes.js";
import type { Exchange, Step } from "./pipeline.js";

/** The client's own body, or for an operation sent by id its registered document with the client's variables. */
function subgraphBodyOf(exchange: Exchange): string {
  const params = exchange.params as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof params.query === "string") return exchange.body.toString("utf8");
  return JSON.stringify({
    query: exchange.operation!.source,
    variables: params.variables,
    operationName: params.operationName,
  });
}

export interface FastLaneOptions extends LaneOptions {
  /** Counts the requests the fast lane answered, by subgraph. */
  onAnswered?: (subgraph: string) => void;
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
 * login, a registered operation by id other than the member app's own, a GET, and a client's
 * extensions. The rate limit counts it once.
 *
 * The subgraph receives the client's own document (or the member app's registered one it names by
 * id) and variables with the headers the runtime's
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
    const requestId = requestIdOf(request);
    const headers = await subgraphHeaders(options, request, requestId, subgraph);
    const startedAtMs = performance.now();
    let body: string;
    let status: number;
    try {
      const answer = await options.requests.fetchRead(
        subgraph,
        urlOf(subgraph)!,
        { method: "POST", headers, body: subgraphBodyOf(exchange) },
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
    return laneAnswer(request, requestId, body);
  };

  return async (exchange, next) => {
    const operation = exchange.operation;
    const subgraph = operation?.singleSubgraph;
    if (!operation || !subgraph || operation.kind !== "query") return next();
    const learning = await runUntilProven(exchange, next);
    if (learning) return learning.answer;
    if (!options.subgraphUrls.has(subgraph) || !(await mayTakeLane(options, exchange))) return next();
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

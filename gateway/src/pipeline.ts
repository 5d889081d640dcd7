import type { IncomingMessage, ServerResponse } from "node:http";
import { errorCodes, type Logger } from "@rhizome/kit/runtime";
import { jsonAnswer, writeAnswer, type Answer } from "./answers.js";
import type { Operation } from "./operations.js";

/** One request to the gateway, as the steps of its pipeline see it. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The body, read whole within the size limit (request-size-limit.ts); empty before. */
  body: Buffer;
  /** The body parsed as JSON once, for every step and the runtime; undefined when it is not JSON. */
  params?: unknown;
  /** The operation the body names, parsed and analysed once per document (operations.ts). */
  operation?: Operation;
  /** Already counted against its client's rate limit (by the fast lane, fast-lane.ts). */
  isCounted?: boolean;
}

/**
 * The one contract of the gateway's steps, as the runtime's plugins are one contract: a step
 * answers the exchange itself, or asks the rest of the pipeline (`next`) and may look at or keep
 * what it answered. An answer is a value the pipeline writes; undefined means the step wrote to
 * the response itself (files, the queue console) or the client has gone.
 */
export type Step = (exchange: Exchange, next: () => Promise<Answer | undefined>) => Promise<Answer | undefined>;

/** The steps run in order; past the last, nothing answers (404). */
export function composeSteps(steps: readonly Step[]): (exchange: Exchange) => Promise<Answer | undefined> {
  const run = (index: number, exchange: Exchange): Promise<Answer | undefined> => {
    const step = steps[index];
    if (!step) return Promise.resolve(NOT_FOUND);
    return step(exchange, () => run(index + 1, exchange));
  };
  return (exchange) => run(0, exchange);
}

const NOT_FOUND = jsonAnswer(404, { errors: [{ message: "Not found.", extensions: { code: errorCodes.notFound } }] });

/**
 * A route that writes its own answer (static files, the queue console, readiness): `serve` returns
 * true when the request was its own, false to pass it on. A new route is one more entry in the
 * gateway's list of steps.
 */
export function route(serve: (request: IncomingMessage, response: ServerResponse) => boolean): Step {
  return (exchange, next) => (serve(exchange.request, exchange.response) ? Promise.resolve(undefined) : next());
}

/** The node request listener running `steps` for every request and writing what they answer, in one place. */
export function pipelineListener(
  steps: readonly Step[],
  logger: Logger,
): (request: IncomingMessage, response: ServerResponse) => void {
  const run = composeSteps(steps);
  return (request, response) => {
    const exchange: Exchange = { request, response, body: EMPTY_BODY };
    run(exchange).then(
      (answer) => {
        if (answer) writeAnswer(request, response, answer);
      },
      (error: unknown) => {
        logger.error({ err: error }, "the gateway failed to answer a request");
        writeAnswer(request, response, INTERNAL_ERROR);
      },
    );
  };
}

const EMPTY_BODY = Buffer.alloc(0);

const INTERNAL_ERROR = jsonAnswer(500, {
  errors: [{ message: "The gateway failed to answer. Try again.", extensions: { code: errorCodes.internal } }],
});

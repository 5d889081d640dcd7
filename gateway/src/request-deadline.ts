import type { IncomingMessage, ServerResponse } from "node:http";
import { errorCodes } from "@rhizome/kit/edge";

const RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 (retryable) when `handle` has not answered within `deadlineMs`, however many subgraph
 * calls its plan makes in turn (each has its own timeout). One timer per request: the runtime's own
 * request deadline composes an AbortSignal per request, which cost about a third of the gateway's
 * CPU on a single-field query. What the runtime writes after the deadline is dropped.
 */
export function answerByDeadline<Request extends IncomingMessage>(
  deadlineMs: number,
  handle: (request: Request, response: ServerResponse) => void,
): (request: Request, response: ServerResponse) => void {
  return (request, response) => {
    const timer = setTimeout(() => {
      if (response.headersSent || response.writableEnded) return;
      const body = JSON.stringify({
        errors: [
          {
            message: `The hub did not answer within ${deadlineMs} ms. Try again.`,
            extensions: { code: errorCodes.serviceUnavailable, retryable: true },
          },
        ],
      });
      response.writeHead(503, {
        "content-type": "application/graphql-response+json; charset=utf-8",
        "retry-after": String(RETRY_AFTER_SECONDS),
      });
      response.end(body);
      ignoreLaterWrites(response);
    }, deadlineMs);
    response.once("close", () => clearTimeout(timer));
    handle(request, response);
  };
}

function ignoreLaterWrites(response: ServerResponse): void {
  response.setHeader = () => response;
  response.writeHead = () => response;
  response.write = () => true;
  response.end = () => response;
}

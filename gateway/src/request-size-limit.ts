import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { errorCodes } from "@rhizome/kit/edge";

/** A request whose body the gateway has already read, within the limit. */
export type RequestWithBody = IncomingMessage & { body: Buffer };

/**
 * Enforces the request size limit on the bytes actually received, not on what Content-Length
 * claims: a chunked body has no Content-Length, and a declared one can be absent or wrong. A
 * declared length over the limit is still refused before reading anything.
 *
 * The body is read into memory (at most `maxBytes`) and handed on as `request.body`: whatwg-node,
 * under the Hive runtime, takes a Buffer `body` as the request's already-read body, as it does
 * behind Express's body parsers.
 */
export function limitRequestBytes(
  maxBytes: number,
  handle: (request: RequestWithBody, response: ServerResponse) => void,
): RequestListener {
  return (request, response) => {
    const declaredBytes = Number(request.headers["content-length"]);
    if (declaredBytes > maxBytes) {
      rejectOversizedRequest(request, response, maxBytes);
      return;
    }
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const stopReading = () => {
      request.off("data", collect);
      request.off("end", finish);
      request.off("error", stopReading);
    };
    function collect(chunk: Buffer) {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBytes) {
        stopReading();
        rejectOversizedRequest(request, response, maxBytes);
        return;
      }
      chunks.push(chunk);
    }
    function finish() {
      stopReading();
      const withBody = request as RequestWithBody;
      withBody.body = Buffer.concat(chunks, receivedBytes);
      handle(withBody, response);
    }
    request.on("data", collect);
    request.once("end", finish);
    // A client that goes away mid-body: nothing to answer, and node closes the socket itself.
    request.once("error", stopReading);
  };
}

/**
 * Answers 413 and closes the connection once the answer is sent, reading no more of the body than
 * arrives meanwhile (thrown away): the client learns the limit, and an endless body costs nothing.
 */
function rejectOversizedRequest(request: IncomingMessage, response: ServerResponse, maxBytes: number): void {
  response.writeHead(413, { "content-type": "application/graphql-response+json; charset=utf-8", connection: "close" });
  response.end(
    JSON.stringify({
      errors: [
        {
          message: `The request is larger than the limit of ${maxBytes} bytes.`,
          extensions: { code: errorCodes.badUserInput },
        },
      ],
    }),
  );
  request.on("error", () => {});
  request.resume();
}

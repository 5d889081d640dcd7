import type { IncomingMessage } from "node:http";
import { errorCodes } from "@rhizome/kit/runtime";
import { jsonAnswer, type Answer } from "./answers.js";
import type { Step } from "./pipeline.js";

/**
 * Enforces the request size limit on the bytes actually received, not on what Content-Length
 * claims: a chunked body has no Content-Length, and a declared one can be absent or wrong. A
 * declared length over the limit is still refused before reading anything.
 *
 * The body is read into memory (at most `maxBytes`) and kept as `exchange.body`; it is also set
 * as `request.body`: whatwg-node, under the Hive runtime, takes a Buffer `body` as the request's
 * already-read body, as it does behind Express's body parsers.
 */
export function limitRequestBytes(maxBytes: number): Step {
  return (exchange, next) => {
    const { request } = exchange;
    const declaredBytes = Number(request.headers["content-length"]);
    if (declaredBytes > maxBytes) return Promise.resolve(refuseOversizedRequest(request, maxBytes));
    return new Promise<Answer | undefined>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let receivedBytes = 0;
      const stopReading = () => {
        request.off("data", collect);
        request.off("end", finish);
        request.off("error", leave);
      };
      function collect(chunk: Buffer) {
        receivedBytes += chunk.length;
        if (receivedBytes > maxBytes) {
          stopReading();
          resolve(refuseOversizedRequest(request, maxBytes));
          return;
        }
        chunks.push(chunk);
      }
      function finish() {
        stopReading();
        exchange.body = Buffer.concat(chunks, receivedBytes);
        (request as IncomingMessage & { body: Buffer }).body = exchange.body;
        next().then(resolve, reject);
      }
      // A client that goes away mid-body: nothing to answer, and node closes the socket itself.
      function leave() {
        stopReading();
        resolve(undefined);
      }
      request.on("data", collect);
      request.once("end", finish);
      request.once("error", leave);
    });
  };
}

/**
 * Answers 413 and closes the connection once the answer is sent, reading no more of the body than
 * arrives meanwhile (thrown away): the client learns the limit, and an endless body costs nothing.
 */
function refuseOversizedRequest(request: IncomingMessage, maxBytes: number): Answer {
  request.on("error", () => {});
  request.resume();
  return jsonAnswer(
    413,
    {
      errors: [
        {
          message: `The request is larger than the limit of ${maxBytes} bytes.`,
          extensions: { code: errorCodes.badUserInput },
        },
      ],
    },
    { connection: "close" },
  );
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { API_KEY_HEADER, OPERATOR_KEY_HEADER } from "@rhizome/kit/auth";
import { REQUEST_ID_HEADER } from "@rhizome/kit/runtime";

/**
 * A whole answer to a GraphQL request, as a value: every step of the pipeline returns one (or
 * passes on the one after it returns), and the pipeline alone writes it (pipeline.ts), so what a
 * cache keeps or a sharing group hands on is exactly what was written.
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A request carrying any of these is someone's: what it reads may be theirs alone. */
export const CREDENTIAL_HEADERS = ["authorization", "cookie", API_KEY_HEADER, OPERATOR_KEY_HEADER];

/** Headers that belong to one exchange, not to the answer. */
const PER_RESPONSE_HEADERS = new Set([
  "content-length",
  "date",
  "connection",
  "keep-alive",
  "set-cookie",
  "transfer-encoding",
  "age",
  "x-cache",
  REQUEST_ID_HEADER,
]);

/** The answer without what belonged to its own exchange, to be given to another client. */
export function reusableAnswer(answer: Answer): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers))
    if (!PER_RESPONSE_HEADERS.has(name)) headers[name] = value;
  return { status: answer.status, headers, body: answer.body };
}

/** The runtime's (fetch API) response read whole. */
export async function answerOfResponse(response: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** A JSON answer made by the gateway itself (a refusal before the runtime). */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { "content-type": "application/graphql-response+json; charset=utf-8", ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/**
 * Writes `answer` to the client; nothing when the client has gone or the response was already
 * written. A request id the client sent is given back with whichever answer it receives.
 */
export function writeAnswer(request: IncomingMessage, response: ServerResponse, answer: Answer): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  const requestId = request.headers[REQUEST_ID_HEADER];
  response.writeHead(answer.status, {
    ...answer.headers,
    "content-length": String(answer.body.length),
    ...(typeof requestId === "string" ? { [REQUEST_ID_HEADER]: requestId } : {}),
  });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}

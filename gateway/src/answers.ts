import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { API_KEY_HEADER, OPERATOR_KEY_HEADER, REQUEST_ID_HEADER } from "@rhizome/kit/edge";

/** A whole answer as the gateway wrote it, to be written again to another client. */
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

const headerText = (value: unknown) => (Array.isArray(value) ? value.join(", ") : String(value));

/**
 * Calls `done` with what the gateway wrote to `response` once it has ended, or with undefined when
 * the connection closed before an answer was written whole.
 */
export function captureAnswer(response: ServerResponse, done: (answer: Answer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let isDone = false;
  const finish = (answer: Answer | undefined) => {
    if (isDone) return;
    isDone = true;
    done(answer);
  };
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  const collect = (chunk: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  // Headers given to writeHead itself do not show in getHeaders(): set them one by one first.
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((item) => item !== null && typeof item === "object") as
      OutgoingHttpHeaders | unknown[] | undefined;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) response.setHeader(String(headers[i]), String(headers[i + 1]));
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(name, value);
    }
    return writeHead(status, ...rest.filter((item) => typeof item === "string"));
  }) as typeof response.writeHead;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk);
    return write(chunk, ...rest);
  }) as typeof response.write;
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && typeof chunk !== "function") collect(chunk);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.getHeaders()))
      if (!PER_RESPONSE_HEADERS.has(name) && value !== undefined) headers[name] = headerText(value);
    finish({ status: response.statusCode, headers, body: Buffer.concat(chunks) });
    return end(chunk, ...rest);
  }) as typeof response.end;
  response.once("close", () => finish(undefined));
}

/** Writes an answer captured from another exchange, with this request's own id. */
export function writeAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  answer: Answer,
  extraHeaders: Record<string, string> = {},
): void {
  const requestId = request.headers[REQUEST_ID_HEADER];
  response.writeHead(answer.status, {
    ...answer.headers,
    ...extraHeaders,
    "content-length": String(answer.body.length),
    ...(typeof requestId === "string" ? { [REQUEST_ID_HEADER]: requestId } : {}),
  });
  response.end(answer.body);
}

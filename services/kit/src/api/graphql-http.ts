import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from "@apollo/server";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorCodes } from "../runtime/errors.js";
import type { Logger } from "../runtime/logger.js";

/** What a request may carry as its body, as express.json allowed before: larger is 413. */
export interface GraphqlHttpOptions<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  maxRequestBytes: number;
  logger: Logger;
  /** Who asks, from the request: runs inside Apollo, so its GraphQL errors are answered as Apollo answers them. */
  context: (request: IncomingMessage) => Promise<Context>;
  /** Runs before the body is read; false answers 401 with `refusal`. */
  admit?: (request: IncomingMessage) => boolean | Promise<boolean>;
  refusal?: unknown;
  /** Wraps the rest of the request (a trace span); `next` runs inside it. */
  around?: (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
}

/** An HTTP error of the body, before GraphQL: its status and what the client is told. */
class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([\w-]+)"?/i;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** The body as JSON, read up to `limit` bytes; undefined when the request says it is not JSON (Apollo answers that). */
function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const contentType = request.headers["content-type"];
  if (request.method !== "POST" || !contentType || !JSON_TYPE.test(contentType)) {
    // Nothing to parse: GET carries its operation in the URL, another type is Apollo's 400.
    request.resume();
    return Promise.resolve(undefined);
  }
  const charset = CHARSET.exec(contentType)?.[1].toLowerCase();
  if (charset && !charset.startsWith("utf-")) return Promise.reject(new BodyError(415, "unsupported charset"));
  const encoding = request.headers["content-encoding"];
  if (encoding && encoding.toLowerCase() !== "identity")
    return Promise.reject(new BodyError(415, "unsupported content encoding"));
  const declared = Number(request.headers["content-length"]);
  if (declared > limit) return Promise.reject(new BodyError(413, "entity.too.large"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        request.off("data", onData);
        reject(new BodyError(413, "entity.too.large"));
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("error", () => reject(new BodyError(400, "request aborted")));
    request.once("end", () => {
      if (length > limit) return;
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)).toString("utf8");
      // As express.json: an empty body is an empty object, and only an object or array is JSON here.
      const first = /\S/.exec(text)?.[0];
      if (first === undefined) return resolve({});
      if (first !== "{" && first !== "[") return reject(new BodyError(400, "entity.parse.failed"));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError(400, "entity.parse.failed"));
      }
    });
  });
}

/** The request's headers as Apollo reads them, as Node parsed them (a repeated single-valued header keeps its first value). */
function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const name in request.headers) {
    const value = request.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/**
 * A subgraph's /graphql on Node's own HTTP server: the body read and parsed once, Apollo Server's
 * executeHTTPGraphQLRequest, the answer written in one call. Express, its router, body parser and
 * content negotiation cost more than Apollo and graphql-js together on the read of one row, so the
 * subgraph's hot path does without them; the other routes stay on Express. A body that is not
 * JSON, too large, or in a charset or encoding not supported is BAD_USER_INPUT with its status
 * (400, 413, 415), as before; anything unexpected is a logged 500 that says nothing.
 */
export function graphqlHttpHandler<Context extends BaseContext>(options: GraphqlHttpOptions<Context>) {
  const { apollo, logger, maxRequestBytes } = options;
  const tooLarge = errorBody(
    `The request is larger than the limit of ${maxRequestBytes} bytes.`,
    errorCodes.badUserInput,
  );
  const notJson = errorBody("The request body is not valid JSON.", errorCodes.badUserInput);
  const failed = (response: ServerResponse, error: unknown) => {
    if (error instanceof BodyError) {
      // The rest of a body too large is not read: the connection ends with the answer.
      const closing: Record<string, string> = error.status === 413 ? { connection: "close" } : {};
      return sendJson(response, error.status, error.status === 413 ? tooLarge : notJson, closing);
    }
    logger.error({ err: error }, "unexpected HTTP error");
    if (response.headersSent) return response.destroy();
    sendJson(response, 500, errorBody("Something went wrong on our side.", errorCodes.internal));
  };

  const answer = async (request: IncomingMessage, response: ServerResponse, queryStart: number) => {
    const body = await readJsonBody(request, maxRequestBytes);
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: request.method ?? "GET",
      headers: headerMapOf(request),
      search: queryStart < 0 ? "" : request.url!.slice(queryStart),
      body,
    };
    const answered = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context(request),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of answered.headers) headers[name] = value;
    if (answered.body.kind === "complete") {
      headers["content-length"] = String(Buffer.byteLength(answered.body.string));
      response.writeHead(answered.status ?? 200, headers);
      response.end(answered.body.string);
      return;
    }
    response.writeHead(answered.status ?? 200, headers);
    for await (const chunk of answered.body.asyncIterator) response.write(chunk);
    response.end();
  };

  const run = (request: IncomingMessage, response: ServerResponse, queryStart: number) => {
    const go = () => answer(request, response, queryStart).catch((error: unknown) => failed(response, error));
    if (options.around) options.around(request, response, () => void go());
    else void go();
  };

  return (request: IncomingMessage, response: ServerResponse, queryStart: number): void => {
    const admitted = options.admit?.(request) ?? true;
    const refuse = () => {
      request.resume();
      sendJson(response, 401, options.refusal);
    };
    if (admitted === true) return run(request, response, queryStart);
    if (admitted === false) return refuse();
    admitted.then(
      (isAdmitted) => (isAdmitted ? run(request, response, queryStart) : refuse()),
      (error: unknown) => failed(response, error),
    );
  };
}

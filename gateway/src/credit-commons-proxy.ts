import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The hub's Credit Commons node on the public endpoint: `/cc/...` is passed to barter's node routes
 * unchanged (method, body, and the protocol's headers only). Neighbouring nodes call it with their
 * own credentials, which barter checks; members and their tokens have nothing to do here.
 */
export const CREDIT_COMMONS_PATH = "/cc";
const MAX_BODY_BYTES = 16 * 1024;
const TIMEOUT_MS = 30_000;
const PASSED_HEADERS = ["content-type", "cc-node", "cc-auth", "cc-node-trace"] as const;

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ errors: [message] }));
}

async function bodyOf(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`A Credit Commons message is at most ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

async function pass(request: IncomingMessage, response: ServerResponse, target: URL): Promise<void> {
  let body: Buffer | undefined;
  try {
    body = await bodyOf(request);
  } catch (error) {
    return refuse(response, 413, (error as Error).message);
  }
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  try {
    const answer = await fetch(new URL(request.url!.slice(CREDIT_COMMONS_PATH.length + 1), target), {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : body?.toString("utf8"),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const passedBack: Record<string, string> = {};
    for (const name of ["content-type", "cc-node-trace"]) {
      const value = answer.headers.get(name);
      if (value) passedBack[name] = value;
    }
    response.writeHead(answer.status, passedBack);
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    refuse(response, 503, "This hub's Credit Commons node did not answer; nothing moved here. Try again later.");
  }
}

/** Serves `/cc/...` by passing it to barter; false for every other path. */
export function creditCommonsProxy(barterSubgraphUrl: string | undefined) {
  const target = barterSubgraphUrl ? new URL("/cc/", barterSubgraphUrl) : undefined;
  return {
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      const url = request.url ?? "";
      if (url !== CREDIT_COMMONS_PATH && !url.startsWith(`${CREDIT_COMMONS_PATH}/`)) return false;
      if (!target) refuse(response, 404, "This hub runs no Credit Commons node.");
      else void pass(request, response, target);
      return true;
    },
  };
}

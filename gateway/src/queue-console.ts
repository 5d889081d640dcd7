import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { Queue } from "@rhizome/kit";
import { OPERATOR_KEY_HEADER, serviceCredentialSource } from "@rhizome/kit/auth";
import { QUEUE_LIST_PATH, type QueueList } from "@rhizome/kit/runtime";
import { type Logger } from "@rhizome/kit/runtime";

/** Where operators find every queue of every service (bull-board), behind the operator key. */
export const QUEUE_CONSOLE_PATH = "/operator/queues";
/** How long a service's answer to "which queues are yours" is trusted before it is asked again. */
export const QUEUE_LIST_REFRESH_MS = 60_000;
const QUEUE_LIST_TIMEOUT_MS = 3_000;
const REALM = 'Basic realm="Rhizome operators", charset="UTF-8"';
// Nothing of the console may come from elsewhere: its page names a web font on a public CDN, which this refuses.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const EXTERNAL_STYLESHEET = /<link[^>]+href="https?:\/\/[^"]*"[^>]*>/g;

export interface QueueConsoleOptions {
  operatorKey: string | undefined;
  redisUrl: string | undefined;
  tokenSecret: string;
  /** Each service's subgraph URL, by name: its queue list is asked for at the same host. */
  subgraphUrls: ReadonlyMap<string, string>;
  logger: Logger;
}

export interface QueueConsole {
  /** Answers requests under QUEUE_CONSOLE_PATH and returns true; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  close(): Promise<void>;
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key from `x-operator-key`, or from Basic auth's password (any user name) so a browser can sign in. */
export function operatorKeyOf(request: IncomingMessage): string | undefined {
  const header = request.headers[OPERATOR_KEY_HEADER];
  if (typeof header === "string" && header) return header;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? "");
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

function isUnderConsole(url: string | undefined): boolean {
  const path = (url ?? "").split("?")[0];
  return path === QUEUE_CONSOLE_PATH || path.startsWith(`${QUEUE_CONSOLE_PATH}/`);
}

function refuse(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers });
  response.end(message);
}

type ExpressApp = (request: IncomingMessage, response: ServerResponse) => void;
type ServiceCredential = ReturnType<typeof serviceCredentialSource>;

interface Board {
  app: ExpressApp;
  refresh(): Promise<void>;
  close(): Promise<void>;
}

async function queueListOf(credential: ServiceCredential, service: string, subgraphUrl: string): Promise<string[]> {
  const response = await fetch(new URL(QUEUE_LIST_PATH, subgraphUrl), {
    headers: { authorization: `Bearer ${await credential({ target: service, route: QUEUE_LIST_PATH })}` },
    signal: AbortSignal.timeout(QUEUE_LIST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${service} answered ${response.status}`);
  return ((await response.json()) as QueueList).queues;
}

/** bull-board's pages, with the web font its template names on a public CDN taken out. */
function boardApp(router: unknown): ExpressApp {
  // eslint-disable-next-line no-restricted-syntax -- bull-board's Express adapter types its router as a Router; it is an Express app with template engines
  const app = router as unknown as ExpressApp & {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Express's own type for a template engine
    engines: Record<string, Function>;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Express's own type for a template engine
    engine(ext: string, fn: Function): void;
  };
  const render = app.engines[".ejs"];
  app.engine("ejs", (path: string, values: object, done: (error: Error | null, html?: string) => void) =>
    render(path, values, (error: Error | null, html?: string) => done(error, html?.replace(EXTERNAL_STYLESHEET, ""))),
  );
  return app;
}

async function startBoard(options: QueueConsoleOptions, credential: ServiceCredential): Promise<Board> {
  // The queue libraries load with the console, not with the gateway.
  const [{ connectRedis, Queue }, { createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import("@rhizome/kit"),
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/express"),
  ]);
  const redis = connectRedis(options.redisUrl!);
  const queues = new Map<string, Queue>();
  const known = new Map<string, string[]>();
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_CONSOLE_PATH);
  const bullBoard = createBullBoard({
    queues: [],
    serverAdapter,
    options: { uiConfig: { boardTitle: "Rhizome queues" } },
  });
  let refreshedAtMs = -Infinity;
  const refresh = async () => {
    const nowMs = performance.now();
    if (nowMs - refreshedAtMs < QUEUE_LIST_REFRESH_MS && known.size === options.subgraphUrls.size) return;
    refreshedAtMs = nowMs;
    await Promise.all(
      [...options.subgraphUrls].map(async ([service, url]) => {
        try {
          known.set(service, await queueListOf(credential, service, url));
        } catch (error) {
          // A service that is down keeps the queues it named before; it is asked again on the next request.
          refreshedAtMs = -Infinity;
          options.logger.warn({ err: error, service }, "queue console could not read a service's queue list");
        }
      }),
    );
    const names = [...new Set([...known.values()].flat())].sort();
    for (const name of names) if (!queues.has(name)) queues.set(name, new Queue(name, { connection: redis }));
    bullBoard.replaceQueues(names.map((name) => new BullMQAdapter(queues.get(name)!)));
  };
  await refresh();
  return {
    app: boardApp(serverAdapter.getRouter()),
    refresh,
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      redis.disconnect();
    },
  };
}

/** Refuses a request the console must not serve and answers true; false when it may go on. */
function refused(request: IncomingMessage, response: ServerResponse, options: QueueConsoleOptions): boolean {
  if (!options.operatorKey || !options.redisUrl) {
    refuse(response, 404, "Not found.");
    return true;
  }
  const given = operatorKeyOf(request);
  if (!given || !sameText(given, options.operatorKey)) {
    refuse(
      response,
      401,
      "The queue console needs the operator key (header x-operator-key, or as the password of this sign-in).",
      { "www-authenticate": REALM },
    );
    return true;
  }
  // A signed-in browser sends the key with any request to this origin: changes come only from the console's own pages.
  const site = request.headers["sec-fetch-site"];
  if (request.method !== "GET" && request.method !== "HEAD" && site !== undefined && site !== "same-origin") {
    refuse(response, 403, "Changes to queues are accepted only from the console itself.");
    return true;
  }
  return false;
}

/**
 * The operators' queue console: bull-board on the gateway's port under /operator/queues, listing the
 * queues each service says it has (GET /internal/queues with a service credential), served only to
 * a request carrying OPERATOR_KEY. Without OPERATOR_KEY or REDIS_URL the path is 404 like any other;
 * bull-board is loaded on the first signed-in request, so the console costs the gateway nothing until used.
 */
export function createQueueConsole(options: QueueConsoleOptions): QueueConsole {
  const credential = serviceCredentialSource(options.tokenSecret, "gateway");
  let board: Promise<Board> | undefined;

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    board ??= startBoard(options, credential);
    try {
      const running = await board;
      await running.refresh();
      response.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
      response.setHeader("cache-control", "no-store");
      response.setHeader("x-content-type-options", "nosniff");
      response.setHeader("referrer-policy", "no-referrer");
      request.url = request.url!.slice(QUEUE_CONSOLE_PATH.length) || "/";
      running.app(request, response);
    } catch (error) {
      board = undefined;
      options.logger.error({ err: error }, "queue console failed");
      if (!response.headersSent)
        refuse(response, 503, "The queue console cannot reach Redis or the services right now.");
    }
  };

  return {
    handle(request, response) {
      if (!isUnderConsole(request.url)) return false;
      if (!refused(request, response, options)) void serve(request, response);
      return true;
    },
    async close() {
      const running = await board?.catch(() => undefined);
      await running?.close();
    },
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";

/** How long the gateway waits for one subgraph's /ready before counting it as not answering. */
export const SUBGRAPH_READY_TIMEOUT_MS = 2_000;
const READY_PATH = "/ready";

type SubgraphState = "ready" | "not ready" | "not answering";

interface SubgraphReadiness {
  state: SubgraphState;
  /** The names of the subgraph's checks that failed (database, redis, schedules), never their messages. */
  failing?: string[];
}

async function askSubgraph(graphqlUrl: string): Promise<SubgraphReadiness> {
  try {
    const response = await fetch(new URL(READY_PATH, graphqlUrl), {
      signal: AbortSignal.timeout(SUBGRAPH_READY_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, string> };
    if (response.status === 200) return { state: "ready" };
    const failing = Object.entries(body.checks ?? {})
      .filter(([, result]) => result !== "ok")
      .map(([name]) => name);
    return { state: "not ready", ...(failing.length > 0 ? { failing } : {}) };
  } catch {
    return { state: "not answering" };
  }
}

/**
 * The gateway's `/ready` says what its subgraphs say: 200 when every subgraph answers its own
 * `/ready` with 200, else 503 naming each subgraph's state and the checks that failed (database,
 * redis), so a load balancer or an operator sees an outage of Postgres or Redis at the front door.
 * Addresses and error messages stay out: the gateway's port is public.
 */
export function createReadiness(subgraphUrls: ReadonlyMap<string, string>) {
  return {
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      if (request.method !== "GET" || request.url?.split("?")[0] !== READY_PATH) return false;
      void (async () => {
        const names = [...subgraphUrls.keys()];
        const answers = await Promise.all(names.map((name) => askSubgraph(subgraphUrls.get(name)!)));
        const subgraphs = Object.fromEntries(names.map((name, i) => [name, answers[i]]));
        const isReady = answers.every((answer) => answer.state === "ready");
        response.writeHead(isReady ? 200 : 503, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
        });
        response.end(JSON.stringify({ status: isReady ? "ready" : "not ready", subgraphs }));
      })();
      return true;
    },
  };
}

import { Agent, request } from "node:http";
import type { GraphQLResponse } from "@rhizome/kit";

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The benchmarks' GraphQL client: node:http on kept-alive connections, one per concurrent
 * client. On this 2-core machine the load generator shares the CPU with the hub it measures, and
 * fetch with a timeout signal per request cost it 0.9 ms of CPU per request, which the hub then
 * did not have; this cost 0.3 ms in the same run. It is the same on every path a benchmark compares.
 */
export function loadClient(concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
  const send = <TData = any>(
    url: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<TData>> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: "POST",
          agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "content-length": Buffer.byteLength(body),
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
            } catch {
              resolve({
                status: response.statusCode ?? 0,
                body: { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] },
              });
            }
          });
          response.on("error", reject);
        },
      );
      outgoing.on("timeout", () =>
        outgoing.destroy(new Error(`no answer from ${url} within ${REQUEST_TIMEOUT_MS} ms`)),
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  return {
    /** Sends a body already in JSON. */
    send,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
    post: <TData = any>(
      url: string,
      query: string,
      variables?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) => send<TData>(url, JSON.stringify({ query, variables }), headers),
    close: () => agent.destroy(),
  };
}

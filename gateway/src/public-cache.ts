import type { IncomingMessage } from "node:http";
import { ExpiringLru } from "@rhizome/kit/runtime";
import { CREDENTIAL_HEADERS, reusableAnswer, type Answer } from "./answers.js";
import { namesClosedCycle } from "./cache-policies.js";
import type { Exchange, Step } from "./pipeline.js";

interface CachedAnswer extends Answer {
  storedAtMs: number;
}

export interface PublicCacheOptions {
  maxEntries: number;
  now: () => Date;
  /** Counts a request answered from the cache against its client's rate limit; false when spent. */
  mayRequest: (request: IncomingMessage) => Promise<boolean>;
  onLookup?: (outcome: "hit" | "miss") => void;
}

/** Seconds the answer to this exchange may be served again (PUBLIC_CACHE_POLICY); 0 when it may not be kept. */
function cacheLifetime(exchange: Exchange, now: Date): number {
  const params = exchange.params as { query?: unknown; variables?: unknown } | undefined;
  const analysis = exchange.operation?.publicAnalysis;
  if (typeof params?.query !== "string" || !analysis) return 0;
  const variables =
    params.variables && typeof params.variables === "object" ? (params.variables as Record<string, unknown>) : {};
  return analysis.closedCycleArguments.every((value) => namesClosedCycle(value, variables, now))
    ? analysis.maxAgeSeconds
    : 0;
}

/**
 * A cache, in this gateway's memory, of answers to anonymous queries that read only public data
 * the policy names (cache-policies.ts), served before any GraphQL work. Answers with errors are
 * never kept. Anyone sending a credential goes through the whole gateway: what they read may be
 * theirs alone.
 */
export function createPublicCache(options: PublicCacheOptions): Step {
  const answers = new ExpiringLru<string, CachedAnswer>(options.maxEntries);
  return async (exchange, next) => {
    const { request } = exchange;
    if (request.method !== "POST" || CREDENTIAL_HEADERS.some((name) => request.headers[name] !== undefined))
      return next();
    const nowMs = options.now().getTime();
    // Only answers the policy allowed were kept, and a cycle once closed stays closed: a kept
    // answer needs no second look at its operation.
    const key = `${request.url}\u0000${exchange.body.toString("utf8")}`;
    const cached = answers.get(key, nowMs);
    if (cached.isHit) {
      // A refused client goes on through the gateway, which counts it again and answers 429.
      if (!(await options.mayRequest(request))) return next();
      options.onLookup?.("hit");
      const { storedAtMs, ...answer } = cached.value;
      return {
        ...answer,
        headers: { ...answer.headers, age: String(Math.floor((nowMs - storedAtMs) / 1000)), "x-cache": "hit" },
      };
    }
    const maxAgeSeconds = cacheLifetime(exchange, new Date(nowMs));
    if (maxAgeSeconds === 0) return next();
    options.onLookup?.("miss");
    const answer = await next();
    if (!answer) return answer;
    if (answer.status === 200 && isCleanAnswer(answer.body))
      answers.set(key, { ...reusableAnswer(answer), storedAtMs: nowMs }, nowMs + maxAgeSeconds * 1000);
    return { ...answer, headers: { ...answer.headers, "x-cache": "miss" } };
  };
}

function isCleanAnswer(body: Buffer): boolean {
  try {
    const result = JSON.parse(body.toString("utf8")) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    // A root field that found nothing (a slug not yet taken) may find something the next moment.
    return !!result.data && !result.errors?.length && Object.values(result.data).every((value) => value !== null);
  } catch {
    return false;
  }
}

import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import type { DocumentNode, ExecutionResult } from "graphql";
import { ExpiringLru } from "@rhizome/kit/runtime";
import { analyse, fieldTypesOf, SHARED_FETCH_POLICY, type CachePolicy } from "./cache-policies.js";

export interface SharedFetchCacheOptions {
  supergraph: string;
  maxEntries: number;
  now: () => Date;
  policy?: CachePolicy;
  onLookup?: (outcome: "hit" | "miss") => void;
}

/** A plan's fetch document and how long its answers may be shared, or undefined when they may not. */
interface FetchLifetime {
  id: number;
  maxAgeMs: number;
}

/**
 * Kept only when it is whole: no error, and no root field null (a slug nobody has taken yet may
 * be taken the next moment, and the new circle must be found at once).
 */
function isKeepable(result: unknown): result is ExecutionResult {
  if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return false;
  const { data, errors } = result as ExecutionResult;
  return !errors?.length && !!data && Object.values(data).every((value) => value !== null && value !== undefined);
}

/**
 * Answers the gateway's subgraph requests that read only what SHARED_FETCH_POLICY names from a
 * cache in its memory, whoever is asking, before any HTTP. A hit is a fresh copy of the kept
 * answer: the runtime merges other subgraphs' fields into what it receives, and those may be the
 * caller's alone.
 */
export function useSharedFetchCache(options: SharedFetchCacheOptions): GatewayPlugin {
  const fieldTypes = fieldTypesOf(options.supergraph);
  const policy = options.policy ?? SHARED_FETCH_POLICY;
  // The runtime builds one document per step of a plan and keeps it while the plan is cached.
  const lifetimes = new WeakMap<DocumentNode, FetchLifetime | null>();
  const answers = new ExpiringLru<string, string>(options.maxEntries);
  let documents = 0;

  const lifetimeOf = (document: DocumentNode): FetchLifetime | null => {
    let lifetime = lifetimes.get(document);
    if (lifetime === undefined) {
      const { maxAgeSeconds, closedCycleArguments } = analyse(fieldTypes, policy, document, undefined);
      lifetime =
        maxAgeSeconds > 0 && closedCycleArguments.length === 0
          ? { id: ++documents, maxAgeMs: maxAgeSeconds * 1000 }
          : null;
      lifetimes.set(document, lifetime);
    }
    return lifetime;
  };

  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType !== undefined && executionRequest.operationType !== "query") return;
      const lifetime = lifetimeOf(executionRequest.document);
      if (!lifetime) return;
      const key = `${subgraphName}\u0000${lifetime.id}\u0000${JSON.stringify(executionRequest.variables ?? {})}`;
      const nowMs = options.now().getTime();
      const kept = answers.get(key, nowMs);
      if (kept.isHit) {
        options.onLookup?.("hit");
        setExecutor(() => JSON.parse(kept.value));
        return;
      }
      options.onLookup?.("miss");
      setExecutor(async (request) => {
        const result = await executor(request);
        if (isKeepable(result)) answers.set(key, JSON.stringify(result), nowMs + lifetime.maxAgeMs);
        return result;
      });
    },
  };
}

import type { ApiKeyVerifier, Caller } from "./auth.js";
import { hashSecret } from "./auth.js";

export const API_KEY_VERIFY_PATH = "/internal/api-keys/verify";
export const API_KEY_CACHE_TTL_MS = 30_000;
export const API_KEY_CACHE_MAX_ENTRIES = 10_000;
export const API_KEY_VERIFY_TIMEOUT_MS = 2_000;

/**
 * For services other than `network`: asks network (which owns API keys) whether a key is valid,
 * caching the answer briefly so a revoked key stops working within the cache's TTL.
 */
export function remoteApiKeyVerifier(networkBaseUrl: string, now: () => number = Date.now): ApiKeyVerifier {
  const cache = new Map<string, { caller: Caller | undefined; expiresAtMs: number }>();
  return async (key) => {
    const cacheKey = hashSecret(key);
    const cached = cache.get(cacheKey);
    if (cached && cached.expiresAtMs > now()) return cached.caller;
    const response = await fetch(new URL(API_KEY_VERIFY_PATH, networkBaseUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(API_KEY_VERIFY_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`API key verification failed with HTTP ${response.status}`);
    const { caller } = (await response.json()) as { caller: Caller | null };
    if (cache.size >= API_KEY_CACHE_MAX_ENTRIES) cache.clear();
    cache.set(cacheKey, { caller: caller ?? undefined, expiresAtMs: now() + API_KEY_CACHE_TTL_MS });
    return caller ?? undefined;
  };
}

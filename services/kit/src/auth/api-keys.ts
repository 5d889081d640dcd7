import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKeyVerifier, Caller } from "./auth.js";
import { hashSecret } from "./auth.js";
import type { Clock } from "../runtime/clock.js";
import { systemClock } from "../runtime/clock.js";
import { ExpiringLru } from "../runtime/expiring-lru.js";
import { serviceTokenSource } from "./internal-auth.js";

export const API_KEY_VERIFY_PATH = "/internal/api-keys/verify";
export const API_KEY_CACHE_TTL_MS = 30_000;
/** How long "no such key" is remembered: shorter, so a key works soon after it is created. */
export const API_KEY_NEGATIVE_CACHE_TTL_MS = 5_000;
export const API_KEY_CACHE_MAX_ENTRIES = 10_000;
export const API_KEY_VERIFY_TIMEOUT_MS = 2_000;

/**
 * An API key is `rhz_<random>_<check>`: 24 random bytes and the first 8 bytes of an HMAC-SHA256 of
 * them under the hub's TOKEN_SECRET, both base64url. The check lets every service turn away a
 * made-up key by arithmetic alone, so a flood of random keys costs no request and no query.
 * Rotating TOKEN_SECRET therefore retires every API key.
 */
const API_KEY_PREFIX = "rhz";
const API_KEY_RANDOM_BYTES = 24;
const API_KEY_CHECK_BYTES = 8;
const base64urlLength = (bytes: number) => Math.ceil((bytes * 8) / 6);
const API_KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}_([A-Za-z0-9_-]{${base64urlLength(API_KEY_RANDOM_BYTES)}})_([A-Za-z0-9_-]{${base64urlLength(API_KEY_CHECK_BYTES)}})$`,
);
/** Every API key has exactly this many characters; anything longer is refused before any work. */
export const API_KEY_LENGTH =
  API_KEY_PREFIX.length + 1 + base64urlLength(API_KEY_RANDOM_BYTES) + 1 + base64urlLength(API_KEY_CHECK_BYTES);

function apiKeyCheck(secret: string, randomPart: string): string {
  return createHmac("sha256", secret)
    .update(`rhizome-api-key:${randomPart}`)
    .digest()
    .subarray(0, API_KEY_CHECK_BYTES)
    .toString("base64url");
}

/** A new API key for the hub whose TOKEN_SECRET is `secret`. Store only its hash (`hashSecret`). */
export function newApiKey(secret: string): string {
  const randomPart = randomBytes(API_KEY_RANDOM_BYTES).toString("base64url");
  return `${API_KEY_PREFIX}_${randomPart}_${apiKeyCheck(secret, randomPart)}`;
}

/** Whether `key` has an API key's shape and a check only the holder of `secret` could have made. */
export function hasValidApiKeyChecksum(secret: string, key: string): boolean {
  if (typeof key !== "string" || key.length !== API_KEY_LENGTH) return false;
  const match = API_KEY_PATTERN.exec(key);
  if (!match) return false;
  const [, randomPart, check] = match;
  return timingSafeEqual(Buffer.from(check), Buffer.from(apiKeyCheck(secret, randomPart)));
}

export interface RemoteApiKeyVerifierOptions {
  /** network's base URL; the verifier posts to API_KEY_VERIFY_PATH under it. */
  networkUrl: string;
  /** The hub's TOKEN_SECRET: checks keys' checksums and signs the service token network requires. */
  tokenSecret: string;
  /** The calling service's name, the subject of its service token. */
  service: string;
  clock?: Clock;
  fetch?: typeof fetch;
}

/**
 * For services other than `network`: asks network (which owns API keys) whether a key is valid.
 * A key with a wrong checksum is refused without asking. Answers are cached in a bounded LRU,
 * "valid" for API_KEY_CACHE_TTL_MS (so a revoked key stops working within it) and "unknown" for
 * API_KEY_NEGATIVE_CACHE_TTL_MS; concurrent lookups of one key share one request.
 */
export function remoteApiKeyVerifier(options: RemoteApiKeyVerifierOptions): ApiKeyVerifier {
  const { tokenSecret } = options;
  const clock = options.clock ?? systemClock;
  const fetchFromNetwork = options.fetch ?? fetch;
  const serviceToken = serviceTokenSource(
    tokenSecret,
    options.service,
    { target: "network", route: API_KEY_VERIFY_PATH },
    clock,
  );
  const answers = new ExpiringLru<string, Caller | undefined>(API_KEY_CACHE_MAX_ENTRIES);
  // Unbounded on purpose: only keys network issued pass the checksum, one request each at most.
  const lookupsInFlight = new Map<string, Promise<Caller | undefined>>();

  async function askNetwork(key: string): Promise<Caller | undefined> {
    const response = await fetchFromNetwork(new URL(API_KEY_VERIFY_PATH, options.networkUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await serviceToken()}` },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(API_KEY_VERIFY_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`API key verification failed with HTTP ${response.status}`);
    const { caller } = (await response.json()) as { caller: Caller | null };
    return caller ?? undefined;
  }

  return async (key) => {
    if (!hasValidApiKeyChecksum(tokenSecret, key)) return undefined;
    const cacheKey = hashSecret(key);
    const cached = answers.get(cacheKey, clock().getTime());
    if (cached.isHit) return cached.value;
    let lookup = lookupsInFlight.get(cacheKey);
    if (!lookup) {
      lookup = askNetwork(key)
        .then((caller) => {
          const ttlMs = caller ? API_KEY_CACHE_TTL_MS : API_KEY_NEGATIVE_CACHE_TTL_MS;
          answers.set(cacheKey, caller, clock().getTime() + ttlMs);
          return caller;
        })
        .finally(() => lookupsInFlight.delete(cacheKey));
      lookupsInFlight.set(cacheKey, lookup);
    }
    return lookup;
  };
}

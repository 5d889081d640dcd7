import { BEARER } from "./token-check.js";
import { API_KEY_HEADER, hashSecret, PERSISTED_OPERATION_LOOKUP_PATH, serviceTokenSource } from "@rhizome/kit/auth";
import { errorCodes } from "@rhizome/kit/runtime";

const LOOKUP_TIMEOUT_MS = 2_000;
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Trusted documents (persisted operations) for third-party clients: a client sends `documentId`
 * (the SHA-256 of a registered operation) and the gateway runs the document network holds for it.
 * With `isRequired`, API keys and anonymous callers may run nothing else; members with a token still
 * send any query. Documents are cached per key and hash; a miss is not.
 */
export function trustedDocuments(options: {
  networkUrl: string;
  tokenSecret: string;
  isRequired: boolean;
  /** Operations every caller may run by id without a lookup: the member app's (app-operations.ts). */
  builtIn?: ReadonlyMap<string, string>;
}) {
  const serviceToken = serviceTokenSource(options.tokenSecret, "gateway", {
    target: "network",
    route: PERSISTED_OPERATION_LOOKUP_PATH,
  });
  const cache = new Map<string, { document: string; expiresAtMs: number }>();
  return {
    async getPersistedOperation(key: string, request: Request): Promise<string | null> {
      const hash = key.replace(/^sha256:/, "");
      const builtIn = options.builtIn?.get(hash);
      if (builtIn) return builtIn;
      const apiKey = request.headers.get(API_KEY_HEADER) ?? undefined;
      const cacheKey = `${apiKey ? hashSecret(apiKey) : "anonymous"}:${hash}`;
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAtMs > Date.now()) return cached.document;
      const response = await fetch(new URL(PERSISTED_OPERATION_LOOKUP_PATH, options.networkUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await serviceToken()}` },
        body: JSON.stringify({ hash, apiKey }),
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
      if (response.status === 400) return null;
      if (!response.ok) throw new Error(`trusted document lookup failed with HTTP ${response.status}`);
      const { document } = (await response.json()) as { document: string | null };
      if (document) {
        if (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(cacheKey, { document, expiresAtMs: Date.now() + CACHE_TTL_MS });
      }
      return document;
    },
    // Only a member's token opens arbitrary documents (useTokenCheck has verified it by now).
    allowArbitraryDocuments: (request: Request) =>
      !options.isRequired || BEARER.test(request.headers.get("authorization") ?? ""),
    customErrors: {
      notFound: {
        message: "No registered operation has that id for this caller.",
        extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
      },
      persistedQueryOnly: {
        message:
          "This hub runs only registered operations for API keys and anonymous callers: send its documentId instead of the query.",
        extensions: { code: errorCodes.forbidden },
      },
    },
  };
}

import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressProblem, literalAddressOf } from "../domain/addresses.js";

/** The host resolved to (or is) an address the hub never POSTs to. */
export class NotPublicAddressError extends Error {
  override name = "NotPublicAddressError";
}

/** Every address a name resolves to now. */
async function addressesOf(hostname: string): Promise<string[]> {
  const literal = literalAddressOf(hostname);
  if (literal) return [literal];
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/**
 * Why a webhook's host may not be saved: it is, or resolves to, a non-public address, or it does
 * not resolve at all. Checked again at every delivery (see postWebhook), since a name can change.
 */
export async function webhookHostProblem(rawUrl: string, isLoopbackAllowed: boolean): Promise<string | undefined> {
  const { hostname } = new URL(rawUrl);
  let addresses: string[];
  try {
    addresses = await addressesOf(hostname);
  } catch {
    return `A webhook must point at a public address; ${hostname} does not resolve.`;
  }
  if (addresses.length === 0) return `A webhook must point at a public address; ${hostname} does not resolve.`;
  for (const address of addresses) {
    const problem = addressProblem(address, isLoopbackAllowed);
    if (problem) return `A webhook must point at a public address; ${hostname} is refused because ${problem}.`;
  }
  return undefined;
}

/**
 * A DNS lookup for the HTTP client that fails unless every address of the name is public: the
 * connection then goes to an address this function checked, so a name cannot resolve to a public
 * address for the check and to a private one for the connection.
 */
function publicOnlyLookup(isLoopbackAllowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, found) => {
      // eslint-disable-next-line no-restricted-syntax -- dns.lookup with all: true answers an array, which its overloaded callback type does not say
      const addresses = found as unknown as LookupAddress[];
      if (error) return (callback as (error: Error) => void)(error);
      const refused = addresses.map((a) => addressProblem(a.address, isLoopbackAllowed)).find((p) => p !== undefined);
      if (refused || addresses.length === 0)
        return (callback as (error: Error) => void)(new NotPublicAddressError(refused ?? `${hostname} has no address`));
      if (options.all)
        // eslint-disable-next-line no-restricted-syntax -- dns.lookup with all: true answers an array, which its overloaded callback type does not say
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export type PostOutcome = { ok: true } | { ok: false; problem: string; isFinal: boolean };

/**
 * POSTs a body to a webhook: to public addresses only (checked on the address actually dialled),
 * within `timeoutMs` for the whole exchange, and never following a redirect (a 3xx is a failed
 * attempt). A refused address is final: retrying would not make it public.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; isLoopbackAllowed: boolean },
): Promise<PostOutcome> {
  const url = new URL(rawUrl);
  const literal = literalAddressOf(url.hostname);
  const literalProblem = literal ? addressProblem(literal, options.isLoopbackAllowed) : undefined;
  if (literalProblem) return { ok: false, problem: literalProblem, isFinal: true };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: publicOnlyLookup(options.isLoopbackAllowed),
        signal: AbortSignal.timeout(options.timeoutMs),
        agent: false,
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true });
        else if (status >= 300 && status < 400)
          resolve({ ok: false, problem: `HTTP ${status} (redirects are not followed)`, isFinal: false });
        else resolve({ ok: false, problem: `HTTP ${status}`, isFinal: false });
      },
    );
    request.on("error", (error: Error & { code?: string }) => {
      if (error instanceof NotPublicAddressError) resolve({ ok: false, problem: error.message, isFinal: true });
      else if (error.name === "AbortError" || error.name === "TimeoutError" || error.code === "ABORT_ERR")
        resolve({ ok: false, problem: "timed out", isFinal: false });
      else resolve({ ok: false, problem: "could not connect", isFinal: false });
    });
    request.end(body);
  });
}

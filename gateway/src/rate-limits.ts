import type { GatewayPlugin } from "@graphql-hive/gateway";
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { API_KEY_HEADER, type ApiKeyVerifier, type PersonTokenVerifier } from "@rhizome/kit/auth";
import { errorCodes } from "@rhizome/kit/runtime";
import type { Exchange } from "./pipeline.js";

export interface RateLimitSettings {
  /** GraphQL requests per client per minute, whatever they ask. */
  requestsPerMinute: number;
  /** Login attempts per client per minute, whichever handles they try (network also locks each handle after 5). */
  loginsPerMinute: number;
}

/** Where a login is asked for: the field name cannot be hidden by an alias or a fragment. */
const LOGIN_FIELD = /\blogin\s*\(/;

/**
 * Who a request counts against: the person behind it, whichever credential they send (their token's
 * subject, or the holder network names for an API key), so minting keys never multiplies a
 * person's budget; without a credential that names someone, its address. A credential that does
 * not verify counts against the address (the request is refused after anyway). Behind a proxy every
 * client shares the proxy's address; a deployment then limits at its ingress too.
 */
export interface ClientIdentity {
  /** Verifies a member's token (cached until it expires). */
  verifyPersonToken: PersonTokenVerifier;
  /** Asks network about an API key (cached). */
  verifyApiKey: ApiKeyVerifier;
}

const BEARER = /^Bearer\s+(\S+)$/i;
const addressOf = (request: IncomingMessage | undefined) => `ip:${request?.socket?.remoteAddress ?? "unknown"}`;

async function personOf(
  identity: ClientIdentity,
  authorization: string | undefined,
  apiKey: string | undefined,
): Promise<string | undefined> {
  try {
    const token = BEARER.exec(authorization ?? "")?.[1];
    if (token) {
      const caller = await identity.verifyPersonToken(token);
      return caller.kind === "person" ? `person:${caller.personId}` : undefined;
    }
    if (apiKey) {
      const caller = await identity.verifyApiKey(apiKey);
      return caller?.kind === "apiKey" ? (caller.holderId ?? `key:${caller.keyId}`) : undefined;
    }
  } catch {
    // Not verified (expired, forged, or network unreachable): the address counts.
  }
  return undefined;
}

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

async function clientOf(
  identity: ClientIdentity,
  headers: IncomingMessage["headers"],
  request: IncomingMessage | undefined,
): Promise<string> {
  return (
    (await personOf(identity, headerText(headers.authorization), headerText(headers[API_KEY_HEADER]))) ??
    addressOf(request)
  );
}

async function clientOfRequest(identity: ClientIdentity, request: Request, serverContext: unknown): Promise<string> {
  const person = await personOf(
    identity,
    request.headers.get("authorization") ?? undefined,
    request.headers.get(API_KEY_HEADER) ?? undefined,
  );
  return person ?? addressOf((serverContext as { req?: IncomingMessage } | undefined)?.req);
}

function tooManyRequests(message: string, refusal: RateLimiterRes) {
  const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return {
    errors: [
      new GraphQLError(`${message} Try again in ${retryAfterSeconds} s.`, {
        extensions: {
          code: errorCodes.rateLimited,
          retryAfterSeconds,
          http: { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
        },
      }),
    ],
  };
}

export interface RateLimits {
  plugin: GatewayPlugin;
  /** Counts one request answered before the runtime (from the public cache, or a shared answer). */
  mayRequest(request: IncomingMessage): Promise<boolean>;
}

/**
 * Limits per client (rate-limiter-flexible, in this gateway's memory): all GraphQL requests, and
 * logins apart, each answered 429 with Retry-After when spent. With several gateway replicas each
 * keeps its own count; a shared Redis store would make them one.
 */
export function createRateLimits(settings: RateLimitSettings, identity: ClientIdentity): RateLimits {
  const requests = new RateLimiterMemory({ keyPrefix: "requests", points: settings.requestsPerMinute, duration: 60 });
  const logins = new RateLimiterMemory({ keyPrefix: "logins", points: settings.loginsPerMinute, duration: 60 });
  const mayRequest = async (request: IncomingMessage) => {
    try {
      await requests.consume(await clientOf(identity, request.headers, request));
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return false;
    }
  };
  return { plugin: rateLimitPlugin(requests, logins, identity), mayRequest };
}

function rateLimitPlugin(
  requests: RateLimiterMemory,
  logins: RateLimiterMemory,
  identity: ClientIdentity,
): GatewayPlugin {
  return {
    async onParams({ request, params, context, setResult }) {
      const isLogin = typeof params.query === "string" && LOGIN_FIELD.test(params.query);
      // The fast lane counted it before it came here (fast-lane.ts).
      const isCounted = !!(context as { exchange?: Exchange } | undefined)?.exchange?.isCounted;
      if (isCounted && !isLogin) return;
      const client = await clientOfRequest(identity, request, context);
      if (!isCounted) {
        try {
          await requests.consume(client);
        } catch (refusal) {
          if (!(refusal instanceof RateLimiterRes)) throw refusal;
          setResult(tooManyRequests("Too many requests from this client.", refusal));
          return;
        }
      }
      if (!isLogin) return;
      try {
        await logins.consume(client);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        setResult(tooManyRequests("Too many login attempts from this client.", refusal));
      }
    },
  };
}

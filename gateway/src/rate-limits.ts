import type { GatewayPlugin } from "@graphql-hive/gateway";
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { API_KEY_HEADER, errorCodes, hashSecret } from "@rhizome/kit/edge";

export interface RateLimitSettings {
  /** GraphQL requests per client per minute, whatever they ask. */
  requestsPerMinute: number;
  /** Login attempts per client per minute, whichever handles they try (network also locks each handle after 5). */
  loginsPerMinute: number;
}

/** Where a login is asked for: the field name cannot be hidden by an alias or a fragment. */
const LOGIN_FIELD = /\blogin\s*\(/;

/**
 * The client a request counts against: its API key when it sends one (hashed: the key itself is
 * kept nowhere), otherwise its address. Behind a proxy every client shares the proxy's address;
 * a deployment then limits at its ingress too.
 */
function clientOf(request: Request, serverContext: unknown): string {
  return clientOfApiKey(request.headers.get(API_KEY_HEADER)) ?? addressOf((serverContext as { req?: IncomingMessage } | undefined)?.req);
}

const clientOfApiKey = (apiKey: string | null | undefined) => (apiKey ? `key:${hashSecret(apiKey)}` : undefined);
const addressOf = (request: IncomingMessage | undefined) => `ip:${request?.socket?.remoteAddress ?? "unknown"}`;

function tooManyRequests(message: string, refusal: RateLimiterRes) {
  const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return {
    errors: [
      new GraphQLError(`${message} Try again in ${retryAfterSeconds} s.`, {
        extensions: { code: errorCodes.rateLimited, retryAfterSeconds, http: { status: 429, headers: { "retry-after": String(retryAfterSeconds) } } },
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
export function createRateLimits(settings: RateLimitSettings): RateLimits {
  const requests = new RateLimiterMemory({ keyPrefix: "requests", points: settings.requestsPerMinute, duration: 60 });
  const logins = new RateLimiterMemory({ keyPrefix: "logins", points: settings.loginsPerMinute, duration: 60 });
  const mayRequest = async (request: IncomingMessage) => {
    try {
      const apiKey = request.headers[API_KEY_HEADER];
      await requests.consume(clientOfApiKey(typeof apiKey === "string" ? apiKey : undefined) ?? addressOf(request));
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return false;
    }
  };
  return { plugin: rateLimitPlugin(requests, logins), mayRequest };
}

function rateLimitPlugin(requests: RateLimiterMemory, logins: RateLimiterMemory): GatewayPlugin {
  return {
    async onParams({ request, params, context, setResult }) {
      const client = clientOf(request, context);
      try {
        await requests.consume(client);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        setResult(tooManyRequests("Too many requests from this client.", refusal));
        return;
      }
      if (typeof params.query !== "string" || !LOGIN_FIELD.test(params.query)) return;
      try {
        await logins.consume(client);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        setResult(tooManyRequests("Too many login attempts from this client.", refusal));
      }
    },
  };
}

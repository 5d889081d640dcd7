import { baseConfigSchema, DEFAULT_ACCESS_TOKEN_TTL_SECONDS, portSetting, z } from "@rhizome/kit";

const DAY_SECONDS = 24 * 60 * 60;

export const MIN_ACCESS_TOKEN_TTL_SECONDS = 10;
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 30 * DAY_SECONDS;
export const MAX_REFRESH_TOKEN_TTL_SECONDS = 365 * DAY_SECONDS;

export const networkConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4001),
  /** "open": anyone may found a circle; "operator": only holders of OPERATOR_KEY. */
  CIRCLE_FOUNDING: z.enum(["open", "operator"]).default("open"),
  OPERATOR_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  /**
   * How long an access token lives (10 s to 1 h; default 60 s). This is the freshness bound: the
   * other services trust the memberships and roles inside a token until it expires, so a revoked
   * role or a member who left can still act outside network for at most this long. Network itself
   * reads memberships from its database on every request and never waits for it.
   */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(MIN_ACCESS_TOKEN_TTL_SECONDS)
    .max(MAX_ACCESS_TOKEN_TTL_SECONDS)
    .default(DEFAULT_ACCESS_TOKEN_TTL_SECONDS),
  /** How long a refresh token lives if unused (default 30 days). Each use replaces it with a new one. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(MAX_REFRESH_TOKEN_TTL_SECONDS)
    .default(DEFAULT_REFRESH_TOKEN_TTL_SECONDS),
});

export type NetworkConfig = z.infer<typeof networkConfigSchema>;

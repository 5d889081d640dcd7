import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const networkConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4001),
  /** "open": anyone may found a circle; "operator": only holders of OPERATOR_KEY. */
  CIRCLE_FOUNDING: z.enum(["open", "operator"]).default("open"),
  OPERATOR_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(60 * 60 * 24 * 30).default(60 * 60 * 12),
});

export type NetworkConfig = z.infer<typeof networkConfigSchema>;

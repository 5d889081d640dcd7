import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const barterConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4002),
  /** network's base URL, to verify API keys (network owns them). */
  NETWORK_URL: z.string().url().default("http://127.0.0.1:4001"),
});

export type BarterConfig = z.infer<typeof barterConfigSchema>;

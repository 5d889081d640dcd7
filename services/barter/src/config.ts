import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

/** Barter's settings; NETWORK_URL (where network's events and API keys are) is read by the kit. */
export const barterConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4002),
});

export type BarterConfig = z.infer<typeof barterConfigSchema>;

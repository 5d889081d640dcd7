import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const sovereigntyConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4006),
});

export type SovereigntyConfig = z.infer<typeof sovereigntyConfigSchema>;

import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const governanceConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4004),
});

export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;

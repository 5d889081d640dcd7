import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const defenseConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4005),
});

export type DefenseConfig = z.infer<typeof defenseConfigSchema>;

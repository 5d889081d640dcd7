import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const toolsConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4003),
});

export type ToolsConfig = z.infer<typeof toolsConfigSchema>;

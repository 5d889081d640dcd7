import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

export const governanceConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4004),
  /** network's base URL: governance asks it a member's private bloc when they take a seat or declare a relation. */
  NETWORK_URL: z.string().url(),
  /** How often overdue proposals and pacts are swept, in case a delayed job was lost. */
  DEADLINE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).max(60_000).default(30_000),
});

export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;

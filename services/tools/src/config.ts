import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

/** As often as the kit checks cycle schedules against the hub's clock. */
export const DEFAULT_REMINDER_CHECK_INTERVAL_MS = 30_000;

export const toolsConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4003),
  /** How often overdue reminders are checked against the hub's clock: the most a reminder can be late. */
  REMINDER_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(900_000)
    .default(DEFAULT_REMINDER_CHECK_INTERVAL_MS),
});

export type ToolsConfig = z.infer<typeof toolsConfigSchema>;

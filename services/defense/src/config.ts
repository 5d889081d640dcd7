import { baseConfigSchema, portSetting, z } from "@rhizome/kit";
import { parseMasterKeys } from "./domain/sealing.js";

export const defenseConfigSchema = baseConfigSchema
  .extend({
    PORT: portSetting(4005),
    /**
     * The master keys that wrap each circle's data key: `id:base64key,id:base64key`, 32-byte keys,
     * the first one current (it wraps new and re-wrapped data keys), the others still readable.
     * Required in production; elsewhere a key is made once and kept in DEFENSE_KEY_FILE.
     */
    DEFENSE_MASTER_KEYS: z.string().optional(),
    DEFENSE_KEY_FILE: z.string().default(".data/defense-master-keys"),
    /** How often a worker looks for overdue escalations, reminders, checks and deliveries (the queue's delayed jobs are only a trigger). */
    DEFENSE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(15_000),
    /** A failed webhook delivery is retried after this, doubled each time. */
    DEFENSE_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
    /** How long one delivery attempt may take, connection and answer included; short, so a slow endpoint holds a worker briefly. */
    DEFENSE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    /**
     * "true" lets webhooks reach loopback addresses (127.0.0.0/8, ::1): for tests whose fake receiver
     * listens on this machine. Off by default and refused in production; every other non-public
     * address stays refused either way.
     */
    DEFENSE_WEBHOOK_ALLOW_LOOPBACK: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true"),
  })
  .superRefine((config, issues) => {
    if (config.NODE_ENV === "production" && !config.DEFENSE_MASTER_KEYS) {
      issues.addIssue({
        code: "custom",
        path: ["DEFENSE_MASTER_KEYS"],
        message: "must be set in production (id:base64 of 32 random bytes); see services/defense/README.md",
      });
    }
    if (config.NODE_ENV === "production" && config.DEFENSE_WEBHOOK_ALLOW_LOOPBACK) {
      issues.addIssue({
        code: "custom",
        path: ["DEFENSE_WEBHOOK_ALLOW_LOOPBACK"],
        message: "must not be true in production: webhooks never reach the hub's own machine there",
      });
    }
    const parsed = config.DEFENSE_MASTER_KEYS ? parseMasterKeys(config.DEFENSE_MASTER_KEYS) : undefined;
    if (parsed && "problem" in parsed)
      issues.addIssue({ code: "custom", path: ["DEFENSE_MASTER_KEYS"], message: parsed.problem });
  });

export type DefenseConfig = z.infer<typeof defenseConfigSchema>;

import { baseConfigSchema, portSetting, z } from "@rhizome/kit";

/** Barter's settings; NETWORK_URL (where network's events and API keys are) is read by the kit. */
export const barterConfigSchema = baseConfigSchema.extend({
  PORT: portSetting(4002),
  /** Holders of this key read operators' views (the Credit Commons node's balances and pending transactions). */
  OPERATOR_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  /**
   * This hub's Credit Commons node path from the root of its tree, e.g. "trunk/riverside" (its
   * own name last); unset, the hub is no node and its circles trade only among themselves.
   */
  CC_NODE_PATH: z.string().optional(),
  /** The trunkward node's base URL (its routes are under it, e.g. http://trunk.example/cc/); unset for the root. */
  CC_TRUNKWARD_URL: z.string().url().optional(),
  /** The key this node and its trunkward node present to each other in `cc-auth`. */
  CC_TRUNKWARD_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  /** Branch nodes grafted onto this one, as JSON: [{"name": "...", "url": "...", "key": "..."}]. */
  CC_BRANCHES: z.string().optional(),
  /** How long a call to a neighbouring node may take before the transaction is refused (nothing moves). */
  CC_RELAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * How often the payee's hub sends again a confirmation whose outcome it did not hear (a hub on
   * the way failed), until every node agrees; well under a lunar cycle.
   */
  CC_COMPLETION_RETRY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How far in minutes the balance with any one neighbouring node may go either way within a lunar cycle. */
  CC_NEIGHBOUR_LIMIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(200 * 60),
});

export type BarterConfig = z.infer<typeof barterConfigSchema>;

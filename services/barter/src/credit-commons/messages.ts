import { z } from "@rhizome/kit";

/**
 * The Credit Commons protocol's messages between nodes, as schemas: what this node accepts and
 * what it answers, checked on every request it receives and by the conformance test on every
 * answer. Field names are the protocol's (snake_case where it uses it).
 */

/** The protocol's transaction states; this node stores pending, completed and erased. */
export const ccStates = ["init", "validated", "pending", "completed", "erased", "timedout"] as const;
export type CcState = (typeof ccStates)[number];

/** One entry: who pays whom how much. `quant` is in the ledger's unit; between Rhizome hubs, minutes. */
export const ccEntrySchema = z.object({
  payer: z.string().min(1).max(300),
  payee: z.string().min(1).max(300),
  quant: z.number().int().positive(),
  description: z.string().max(255),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CcEntry = z.infer<typeof ccEntrySchema>;

/** POST transaction/relay: a new transaction, relayed from node to node towards the payee. */
export const ccTransactionSchema = z.object({
  uuid: z.uuid(),
  state: z.enum(ccStates),
  workflow: z.string().min(1).max(64),
  entries: z.array(ccEntrySchema).min(1).max(16),
  version: z.number().int().optional(),
  written: z.string().optional(),
});
export type CcTransaction = z.infer<typeof ccTransactionSchema>;

/** The answer to a relay (201): the entries the node and those beyond it added or accepted, and how long the transaction stays valid. */
export const ccRelayResponseSchema = z.object({
  data: z.array(ccEntrySchema),
  meta: z.object({ secs_valid_left: z.number().int().nonnegative() }),
});
export type CcRelayResponse = z.infer<typeof ccRelayResponseSchema>;

/** PATCH transaction/{uuid}/{dest_state}: the states a neighbour may move a transaction to. */
export const ccDestinationStateSchema = z.enum(["pending", "completed", "erased"]);

/** GET / (welcome). */
export const ccWelcomeSchema = z.object({ message: z.string() });

/** GET account?acc_path=...: an account's summary. */
export const ccAccountSummarySchema = z.object({
  trades: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  gross_in: z.number().nonnegative(),
  gross_out: z.number().nonnegative(),
  partners: z.number().int().nonnegative(),
  pending: z.number().nonnegative(),
  balance: z.number(),
});

/** GET account/history?acc_path=...: balance points by time ("YYYY-MM-DD HH:MM:SS", UTC). */
export const ccAccountHistorySchema = z.object({
  data: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/), z.number()),
  meta: z.object({
    min: z.number(),
    max: z.number(),
    points: z.number().int().nonnegative(),
    start: z.string(),
    end: z.string(),
  }),
});

/** Every refusal: a list of messages a person can act on. */
export const ccErrorSchema = z.object({ errors: z.array(z.string()).min(1) });

/** The headers between nodes: the last hop's node name, its key, and the path the request took. */
export const CC_NODE_HEADER = "cc-node";
export const CC_AUTH_HEADER = "cc-auth";
export const CC_TRACE_HEADER = "cc-node-trace";

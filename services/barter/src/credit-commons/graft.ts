import { cycleContaining } from "@rhizome/kit";
import { formatMinutesAsHours } from "../domain/minutes.js";
import type { Queryable } from "@rhizome/kit";
import type { NodeConfig } from "./node-config.js";

/**
 * The operator's rule for ungrafting: a neighbouring node may leave this node's configuration only
 * once this node's balance with it is settled and no transaction through it waits, or at the new
 * moon (balances and pending transactions are per cycle, so a new cycle frees every side). Returns
 * what stands in the way, one sentence per neighbour; empty when the configuration may be used.
 */
export async function ungraftProblems(db: Queryable, node: NodeConfig, now: Date): Promise<string[]> {
  const cycle = cycleContaining(now);
  const configured = new Set<string>([
    ...(node.trunkward ? ["trunkward"] : []),
    ...node.branchNames.map((name) => `branch:${name}`),
  ]);
  const inUse: Array<{ side: string; balance_minutes: number | null; pending: string }> = await db.query(
    `SELECT s.side,
       (SELECT balance_minutes FROM cc_node_balances b WHERE b.side = s.side AND b.cycle = $1) AS balance_minutes,
       (SELECT count(*) FROM cc_transactions t WHERE t.state = 'pending' AND t.cycle = $1 AND s.side IN (t.payer_side, t.payee_side)) AS pending
     FROM (SELECT side FROM cc_node_balances WHERE cycle = $1 AND balance_minutes <> 0
           UNION SELECT payer_side FROM cc_transactions WHERE state = 'pending' AND cycle = $1
           UNION SELECT payee_side FROM cc_transactions WHERE state = 'pending' AND cycle = $1) AS s
     WHERE s.side NOT LIKE 'ledger:%'`,
    [cycle.label],
  );
  return inUse
    .filter((row) => !configured.has(row.side))
    .map(
      (row) =>
        `${row.side} was removed from this node's configuration, but this cycle its balance is ${formatMinutesAsHours(row.balance_minutes ?? 0)} and ${row.pending} transaction(s) through it wait; ungraft it once settled, or after the new moon of ${cycle.endsAt.toISOString()}.`,
    );
}

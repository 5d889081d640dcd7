/**
 * The one entry benchmarks may use beside the API (`@rhizome/barter/bench`): the service's own
 * confirmation, step by step as its action runs it, on any connection that runs SQL, so a benchmark
 * can time it on bare pg connections against the same work through the subgraph and the gateway.
 */
import { accepted, type Queryable } from "@rhizome/kit";
import { decideConfirmation, lockConfirmation } from "./actions/decide-exchange.js";
import { postConfirmation } from "./store/confirm-exchange.js";
import { lockExchange, type ExchangeRow } from "./store/exchanges.js";

export { confirmExchangeSql } from "./store/confirm-exchange.js";

/**
 * Confirms a pending exchange as `confirmerMemberId` inside the caller's open transaction: the
 * exchange and both accounts locked, the clock read once, the domain's rule, then the writes.
 * The caller commits or rolls back.
 */
export async function confirmInTransaction(
  tx: Queryable,
  exchangeId: string,
  confirmerMemberId: string,
  clock: () => Date,
): Promise<ExchangeRow> {
  const exchange = await lockExchange(tx, exchangeId);
  if (!exchange || exchange.status !== "PENDING") throw new Error(`Exchange ${exchangeId} is not pending.`);
  const access = await lockConfirmation(tx, { exchange, memberId: confirmerMemberId }, clock);
  return postConfirmation(tx, accepted(decideConfirmation(access)));
}

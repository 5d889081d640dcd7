import { badInput, isUuid, notFound, requireMembership, type Action } from "@rhizome/kit";
import type { BarterContext } from "../context.js";
import { completeTransaction, eraseTransaction, proposeRemotePayment } from "../credit-commons/node.js";
import { findTransaction, type CcTransactionRow } from "../store/credit-commons.js";
import { asGraphQL, nodeOf } from "./credit-commons-node.js";

// Proposing, confirming and cancelling an exchange with another hub are one use case, so they share
// this file. None can be one database transaction: each waits on other hubs over HTTP between its
// writes here (the protocol's two phases), so the node's own code opens its transactions around
// those calls; each is still one action: authorize, the node's rules, the node's writes.

const MAX_PATH_ARGUMENT_LENGTH = 300;
const NO_SUCH_REMOTE_EXCHANGE = "No exchange with another hub with that id in your circles.";

export interface ProposeRemoteExchangeInput {
  circleId: string;
  payeePath: string;
  minutes: number;
}

/** A member proposes to pay a member of a circle on another hub; it waits on every hub on the way until they confirm. */
export const proposeRemoteExchange: Action<BarterContext, ProposeRemoteExchangeInput, CcTransactionRow> = async (
  context,
  input,
) => {
  const membership = requireMembership(context.caller, input.circleId);
  if (input.payeePath.length > MAX_PATH_ARGUMENT_LENGTH)
    throw badInput(`An account path is at most ${MAX_PATH_ARGUMENT_LENGTH} characters.`);
  const deps = nodeOf(context);
  return asGraphQL(() => proposeRemotePayment(deps, { ...input, memberId: membership.memberId }));
};

/** The caller's member id in the transaction's circle; a transaction of anyone else is NOT_FOUND, as a wrong id. */
async function ownTransactionMember(context: BarterContext, id: string): Promise<string> {
  if (!isUuid(id)) throw notFound(NO_SUCH_REMOTE_EXCHANGE);
  const row = await findTransaction(context.db, id, "no lock");
  const membership =
    row && row.memberId && context.caller.kind === "person"
      ? context.caller.memberships.find((m) => m.circleId === row.circleId && m.memberId === row.memberId)
      : undefined;
  if (!membership) throw notFound(NO_SUCH_REMOTE_EXCHANGE);
  return membership.memberId;
}

/** The payee confirms: every ledger on the way records it, or none does. */
export const confirmRemoteExchange: Action<BarterContext, { id: string }, CcTransactionRow> = async (
  context,
  input,
) => {
  const deps = nodeOf(context);
  const memberId = await ownTransactionMember(context, input.id);
  const { transaction } = await asGraphQL(() =>
    completeTransaction(deps, input.id, { payeeMemberId: memberId }, undefined),
  );
  return transaction;
};

/** The payee declines, or the payer cancels, a pending exchange; nothing moves. */
export const cancelRemoteExchange: Action<BarterContext, { id: string }, CcTransactionRow> = async (context, input) => {
  const deps = nodeOf(context);
  const memberId = await ownTransactionMember(context, input.id);
  return asGraphQL(() => eraseTransaction(deps, input.id, { memberId }, undefined));
};

import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { cycleByLabelOrThrow, cycleContaining, emitEvent } from "@rhizome/kit";
import {
  completionProblem,
  exceedsTradeLimit,
  isFinalRefusal,
  isLedgerSide,
  mayCompleteLate,
  minutesProblem,
  nodeEntries,
  payerProposalProblem,
  routeOf,
  traceBack,
  traceOnward,
  type Side,
} from "../domain/credit-commons.js";
import { formatMinutesAsHours } from "../domain/minutes.js";
import {
  accountCodeFor,
  clearCompletionInDoubt,
  completionInDoubtSince,
  completionsInDoubt,
  countCompletionAttempt,
  findTransaction,
  insertPendingTransaction,
  ledgerNamed,
  ledgerOfCircle,
  lockLocalSide,
  lockNodeSides,
  markPendingErased,
  markTransaction,
  memberAccountByCode,
  payerStanding,
  postRemoteTransfer,
  recordCompletionInDoubt,
  writeNodeEntries,
  type CcTransactionRow,
} from "../store/credit-commons.js";
import { LEFT_THE_CIRCLE } from "../domain/confirmation.js";
import { lockActingAccount } from "../store/accounts.js";
import { changeTransactionState, NodeRefusal, relayTransaction } from "./client.js";
import type { CcEntry, CcRelayResponse, CcTransaction } from "./messages.js";
import { neighbourOnSide, type NodeConfig } from "./node-config.js";

/**
 * The node's use cases, shared by its protocol routes (a neighbour relays or changes a transaction)
 * and by members' GraphQL mutations (a member proposes, confirms or cancels).
 *
 * Every change is one database transaction on this node that, when the transaction goes on to a
 * neighbour, holds its rows while it calls that neighbour and commits only once the neighbour
 * said yes: a refusal or silence anywhere rolls back everything on the way, so each node holds the
 * transaction pending (or not at all), never half-written. A node that commits and then loses its
 * answer leaves its neighbour pending; the same request again is idempotent on every node and
 * finishes the job.
 */
export interface NodeDeps {
  node: NodeConfig;
  db: DataSource;
  clock: () => Date;
  /** Wakes the event relay after a commit that wrote events (exchange.confirmed). */
  eventsEmitted?: () => void;
}

/** The workflow this node relays: the payer proposes, the payee confirms on their hub. */
export const REMOTE_WORKFLOW = "_P+";
/** A wait for a row another transaction holds longer than this fails (a retry succeeds), so no two hubs wait on each other forever. */
const LOCK_TIMEOUT_SQL = "SET LOCAL lock_timeout = '3s'";

function routeOrRefuse(
  path: string,
  node: NodeConfig,
  status: 400 | 404,
): { side: Side; ledger?: string; accountCode?: string } {
  const route = routeOf(path, node);
  if ("problem" in route) throw new NodeRefusal(status, route.problem);
  return route;
}

function relayAnswer(entry: CcEntry, cycle: string, now: Date): CcRelayResponse {
  const endsAt = cycleContaining(now).label === cycle ? cycleContaining(now).endsAt : now;
  return {
    data: [entry],
    meta: { secs_valid_left: Math.max(0, Math.floor((endsAt.getTime() - now.getTime()) / 1000)) },
  };
}

interface Relay {
  uuid: string;
  entry: CcEntry;
  payerSide: Side;
  payeeSide: Side;
  payee: { ledger?: string; accountCode?: string };
  workflow: string;
  /** The proposing member, when the payer is a member of a circle of this hub. */
  payerMember?: { circleId: string; memberId: string };
}

/** Records a new transaction as pending here and relays it on towards the payee, in one database transaction. */
async function recordAndRelay(
  deps: NodeDeps,
  relay: Relay,
  receivedTrace: string | undefined,
): Promise<{ body: CcRelayResponse; trace: string; transaction: CcTransactionRow }> {
  const { node } = deps;
  return deps.db.transaction(async (manager) => {
    await manager.query(LOCK_TIMEOUT_SQL);
    const now = deps.clock();
    const cycle = cycleContaining(now).label;
    let local: { circleId: string; memberId: string; memberRole: "payer" | "payee" } | undefined =
      relay.payerMember && {
        ...relay.payerMember,
        memberRole: "payer",
      };
    if (isLedgerSide(relay.payeeSide)) {
      const ledger = await ledgerNamed(manager, relay.payee.ledger!);
      if (!ledger) throw new NodeRefusal(404, `No ledger named "${relay.payee.ledger}" on ${node.path.join("/")}.`);
      const account = await memberAccountByCode(manager, ledger.circleId, relay.payee.accountCode!);
      if (!account || account.isClosed)
        throw new NodeRefusal(404, `No open account "${relay.payee.accountCode}" in ledger ${ledger.ledgerName}.`);
      local = { circleId: ledger.circleId, memberId: account.memberId, memberRole: "payee" };
    }
    const isNew = await insertPendingTransaction(manager, {
      uuid: relay.uuid,
      payerPath: relay.entry.payer,
      payeePath: relay.entry.payee,
      minutes: relay.entry.quant,
      cycle,
      payerSide: relay.payerSide,
      payeeSide: relay.payeeSide,
      circleId: local?.circleId ?? null,
      memberId: local?.memberId ?? null,
      memberRole: local?.memberRole ?? null,
      writtenAt: now,
    });
    const existing = (await findTransaction(manager, relay.uuid, "no lock"))!;
    if (!isNew) {
      const isSame =
        existing.payerPath === relay.entry.payer &&
        existing.payeePath === relay.entry.payee &&
        existing.minutes === relay.entry.quant;
      if (!isSame) throw new NodeRefusal(409, `Another transaction with uuid ${relay.uuid} was relayed here before.`);
      // A retried relay: already recorded (and relayed on) once; answer as the first time.
      return {
        body: relayAnswer(relay.entry, existing.cycle, now),
        trace: traceBack(receivedTrace, node.name),
        transaction: existing,
      };
    }
    let fromFurther: string | undefined;
    const neighbour = neighbourOnSide(node, relay.payeeSide);
    if (neighbour) {
      const answer = await relayTransaction(
        node,
        neighbour,
        { uuid: relay.uuid, state: "pending", workflow: relay.workflow, entries: [relay.entry] },
        traceOnward(receivedTrace, node.name),
      );
      fromFurther = answer.trace;
    }
    return {
      body: relayAnswer(relay.entry, cycle, now),
      trace: traceBack(fromFurther ?? receivedTrace, node.name),
      transaction: existing,
    };
  });
}

/** POST transaction/relay from a neighbour on side `from`. */
export async function acceptRelayedTransaction(
  deps: NodeDeps,
  from: Side,
  message: CcTransaction,
  receivedTrace: string | undefined,
): Promise<{ body: CcRelayResponse; trace: string }> {
  if (message.entries.length !== 1)
    throw new NodeRefusal(400, "This node relays transactions of exactly one entry; it adds no fees or other entries.");
  const entry = message.entries[0];
  const amountProblem = minutesProblem(entry.quant);
  if (amountProblem) throw new NodeRefusal(400, amountProblem);
  const payer = routeOrRefuse(entry.payer, deps.node, 400);
  const payee = routeOrRefuse(entry.payee, deps.node, 404);
  if (payer.side !== from)
    throw new NodeRefusal(400, "The payer does not lie on the side of the node that relayed this transaction.");
  if (payee.side === from) throw new NodeRefusal(400, "The payee lies on the side this transaction came from.");
  const { body, trace } = await recordAndRelay(
    deps,
    {
      uuid: message.uuid,
      entry: { payer: entry.payer, payee: entry.payee, quant: entry.quant, description: "", metadata: {} },
      payerSide: payer.side,
      payeeSide: payee.side,
      payee,
      workflow: message.workflow,
    },
    receivedTrace,
  );
  return { body, trace };
}

/** A member's pseudonymous address in the tree: node path, ledger, account code. */
export async function memberAddress(deps: NodeDeps, circleId: string, memberId: string): Promise<string> {
  const ledger = await ledgerOfCircle(deps.db, circleId);
  if (!ledger) throw new NodeRefusal(409, NOT_IN_TREE);
  return deps.db.transaction(async (manager) => {
    const account = await lockActingAccount(manager, circleId, memberId, deps.clock(), "share");
    if (account.closedAt) throw new NodeRefusal(403, LEFT_THE_CIRCLE);
    const code = await accountCodeFor(manager, circleId, account.id, deps.clock());
    return [...deps.node.path, ledger.ledgerName, code].join("/");
  });
}

export const NOT_IN_TREE =
  "Your circle has not joined the Credit Commons tree of this hub; an organizer can join it (joinCreditCommons).";

/** A member pays a member of a circle on another hub: recorded pending here and on every node on the way; nothing moves yet. */
export async function proposeRemotePayment(
  deps: NodeDeps,
  input: { circleId: string; memberId: string; payeePath: string; minutes: number },
): Promise<CcTransactionRow> {
  const amountProblem = minutesProblem(input.minutes);
  if (amountProblem) throw new NodeRefusal(400, amountProblem);
  const payee = routeOrRefuse(input.payeePath, deps.node, 400);
  if (isLedgerSide(payee.side))
    throw new NodeRefusal(400, "That account is in a circle of this hub: trade with it as a sister circle instead.");
  const payerPath = await memberAddress(deps, input.circleId, input.memberId);
  const ledger = (await ledgerOfCircle(deps.db, input.circleId))!;
  const standing = await payerStanding(deps.db, input.circleId, input.memberId, cycleContaining(deps.clock()).label);
  const cannotFit = standing && payerProposalProblem(standing, input.minutes);
  if (cannotFit) throw new NodeRefusal(409, cannotFit.problem, false, cannotFit.limit);
  const { transaction } = await recordAndRelay(
    deps,
    {
      uuid: randomUUID(),
      entry: { payer: payerPath, payee: input.payeePath, quant: input.minutes, description: "", metadata: {} },
      payerSide: `ledger:${ledger.ledgerName}`,
      payeeSide: payee.side,
      payee,
      workflow: REMOTE_WORKFLOW,
      payerMember: { circleId: input.circleId, memberId: input.memberId },
    },
    undefined,
  );
  return transaction;
}

const NO_SUCH_TRANSACTION = "No exchange with another hub with that id in your circles.";

/**
 * Completes a pending transaction here: from the payee's side (a neighbour's PATCH, or the payee
 * member confirming on this hub) towards the payer. Checks every limit on this node with its rows
 * locked, then asks the node on the payer's side, and writes only once it said yes.
 */
export async function completeTransaction(
  deps: NodeDeps,
  uuid: string,
  from: { side: Side } | { payeeMemberId: string },
  receivedTrace: string | undefined,
): Promise<{ transaction: CcTransactionRow; trace: string }> {
  try {
    const completed = await completeHere(deps, uuid, from, receivedTrace);
    if (completed.transaction.circleId) deps.eventsEmitted?.();
    return completed;
  } catch (error) {
    if (!(error instanceof NodeRefusal) || !error.isUnknownOnPayerSide) throw error;
    // The payer's side never recorded it (a hub failed while it was proposed), so it can never
    // complete: erased here too, and the member is told nothing moved.
    await markPendingErased(deps.db, uuid, deps.clock());
    await clearCompletionInDoubt(deps.db, uuid);
    if ("payeeMemberId" in from) throw new NodeRefusal(409, UNKNOWN_ON_PAYER_SIDE);
    throw error;
  }
}

export const COMPLETION_IN_DOUBT =
  "A hub on the way did not answer. Your confirmation stands: your hub keeps sending it until every hub on the way has recorded the exchange, or the payer's side says it never completed.";

export const UNKNOWN_ON_PAYER_SIDE =
  "The hubs on the payer's side do not hold this exchange (a hub failed while it was proposed): nothing moved, and it is now erased.";

/** The transaction to complete, locked: the payee member's own, or one whose payee lies on the asking neighbour's side. */
async function lockCompletable(
  manager: EntityManager,
  node: NodeConfig,
  uuid: string,
  from: { side: Side } | { payeeMemberId: string },
): Promise<CcTransactionRow> {
  await manager.query(LOCK_TIMEOUT_SQL);
  const found = await findTransaction(manager, uuid, "for update");
  if ("payeeMemberId" in from) {
    if (!found || found.memberId !== from.payeeMemberId || found.memberRole !== "payee")
      throw new NodeRefusal(404, NO_SUCH_TRANSACTION);
  } else {
    if (!found) throw new NodeRefusal(404, `No transaction ${uuid} on ${node.path.join("/")}.`);
    if (found.payeeSide !== from.side) throw new NodeRefusal(403, "Only the payee's side may complete a transaction.");
  }
  return found;
}

/** Each neighbour's balance of trade stays within the node's limit this cycle (a late completion was checked when decided). */
async function checkNodeTradeLimits(
  manager: EntityManager,
  node: NodeConfig,
  transaction: CcTransactionRow,
  isLate: boolean,
): Promise<void> {
  const balances = await lockNodeSides(manager, [transaction.payerSide, transaction.payeeSide], transaction.cycle);
  for (const entry of nodeEntries(transaction.payerSide as Side, transaction.payeeSide as Side, transaction.minutes)) {
    if (isLate || isLedgerSide(entry.side)) continue;
    if (exceedsTradeLimit(balances.get(entry.side) ?? 0, entry.amountMinutes, node.neighbourLimitMinutes))
      throw new NodeRefusal(
        409,
        `The balance of trade between two hubs on the way would pass its limit of ${formatMinutesAsHours(node.neighbourLimitMinutes)} this cycle; try fewer minutes, or after the new moon.`,
      );
  }
}

/**
 * Asks the payer's side to complete first and answers its trace. From here on the payer's side may
 * commit: the payee's hub keeps the confirmation as in doubt (outside this transaction, so it
 * outlives a rollback) until it hears the outcome.
 */
async function completeOnPayerSide(
  deps: NodeDeps,
  neighbour: NonNullable<ReturnType<typeof neighbourOnSide>>,
  uuid: string,
  asked: { fromPayeeMember: boolean; now: Date; receivedTrace: string | undefined },
): Promise<string | undefined> {
  const { node } = deps;
  const isNewDoubt = asked.fromPayeeMember ? await recordCompletionInDoubt(deps.db, uuid, asked.now) : false;
  const answer = await changeTransactionState(
    node,
    neighbour,
    uuid,
    "completed",
    traceOnward(asked.receivedTrace, node.name),
  ).catch(async (error: unknown) => {
    if (error instanceof NodeRefusal && error.status === 404) throw new NodeRefusal(404, UNKNOWN_ON_PAYER_SIDE, true);
    if (!(error instanceof NodeRefusal) || !asked.fromPayeeMember) throw error;
    // Silence: the payer's side may have committed. Any refusal: nothing committed this time.
    if (error.status === 503) throw new NodeRefusal(503, COMPLETION_IN_DOUBT);
    if (isNewDoubt) await clearCompletionInDoubt(deps.db, uuid);
    throw error;
  });
  return answer.trace;
}

async function completeHere(
  deps: NodeDeps,
  uuid: string,
  from: { side: Side } | { payeeMemberId: string },
  receivedTrace: string | undefined,
): Promise<{ transaction: CcTransactionRow; trace: string }> {
  const { node } = deps;
  return deps.db.transaction(async (manager) => {
    const transaction = await lockCompletable(manager, node, uuid, from);
    if (transaction.state === "completed") return { transaction, trace: traceBack(receivedTrace, node.name) };
    const now = deps.clock();
    const fromPayeeMember = "payeeMemberId" in from;
    const neighbour = neighbourOnSide(node, transaction.payerSide);
    const local = transaction.circleId
      ? await lockLocalSide(manager, transaction.circleId, transaction.memberId!, transaction.cycle)
      : undefined;
    const problem = completionProblem(transaction, cycleContaining(now).label, local?.expiredThrough ?? null);
    // After the new moon a completion the payer's side may already have committed is still asked
    // for: it was decided in its cycle and counts there. Limits were checked when it was decided.
    let isLate = false;
    if (problem) {
      const cycleExpiredHere = local?.expiredThrough != null && local.expiredThrough >= transaction.cycle;
      isLate =
        problem.kind === "lapsed" &&
        !cycleExpiredHere &&
        mayCompleteLate({
          hasPayerSideNeighbour: neighbour !== undefined,
          fromPayeeMember,
          inDoubtSince: fromPayeeMember ? await completionInDoubtSince(manager, uuid) : undefined,
          cycleEndsAt: cycleByLabelOrThrow(transaction.cycle).endsAt,
        });
      if (!isLate) throw new NodeRefusal(409, problem.problem);
    }
    if (local && !isLate) checkLocalSide(local, transaction, fromPayeeMember);
    await checkNodeTradeLimits(manager, node, transaction, isLate);
    const fromFurther = neighbour
      ? await completeOnPayerSide(deps, neighbour, uuid, { fromPayeeMember, now, receivedTrace })
      : undefined;
    await writeLocalAndNode(manager, transaction, local, now);
    const completed = await markTransaction(manager, uuid, "completed", now);
    await clearCompletionInDoubt(manager, uuid);
    return { transaction: completed, trace: traceBack(fromFurther ?? receivedTrace, node.name) };
  });
}

/** Refuses when the member's balance or the circle's balance of trade would pass a limit; only the member themself is told figures. */
function checkLocalSide(
  local: Awaited<ReturnType<typeof lockLocalSide>>,
  transaction: CcTransactionRow,
  isOwnMemberAsking: boolean,
): void {
  const payerPays = transaction.memberRole === "payer";
  const memberDelta = payerPays ? -transaction.minutes : transaction.minutes;
  if (local.isClosed)
    throw new NodeRefusal(
      409,
      isOwnMemberAsking ? "You have left this circle." : "The other member's account is closed.",
    );
  const after = local.memberBalanceMinutes + memberDelta;
  if (after < local.floorMinutes || after > local.ceilingMinutes) {
    throw new NodeRefusal(
      409,
      isOwnMemberAsking
        ? `This would take your balance beyond your circle's limits (${formatMinutesAsHours(local.floorMinutes)} to ${formatMinutesAsHours(local.ceilingMinutes)}; your balance ${formatMinutesAsHours(local.memberBalanceMinutes)}).`
        : "The other member cannot take this exchange now (their circle's balance limits); nothing moved. Try fewer minutes.",
    );
  }
  if (exceedsTradeLimit(local.remoteBalanceMinutes, -memberDelta, local.tradeLimitMinutes)) {
    throw new NodeRefusal(
      409,
      `This would take the balance of trade between ${isOwnMemberAsking ? "your circle" : "the other member's circle"} and other hubs beyond the limit its organizers set for this cycle; try fewer minutes, or after the new moon.`,
    );
  }
}

async function writeLocalAndNode(
  manager: EntityManager,
  transaction: CcTransactionRow,
  local: Awaited<ReturnType<typeof lockLocalSide>> | undefined,
  now: Date,
): Promise<void> {
  if (local) {
    // This circle's consumers count it like any exchange, naming only this circle's member.
    await emitEvent(
      manager,
      "exchange.confirmed",
      {
        circleId: transaction.circleId!,
        exchangeId: transaction.uuid,
        cycle: transaction.cycle,
        minutes: transaction.minutes,
        memberIds: [transaction.memberId!],
      },
      now,
    );
    await postRemoteTransfer(
      manager,
      {
        uuid: transaction.uuid,
        circleId: transaction.circleId!,
        side: local,
        role: transaction.memberRole!,
        minutes: transaction.minutes,
        cycle: transaction.cycle,
      },
      now,
    );
  }
  await writeNodeEntries(
    manager,
    transaction.uuid,
    nodeEntries(transaction.payerSide as Side, transaction.payeeSide as Side, transaction.minutes),
    transaction.cycle,
  );
}

/**
 * Erases a pending transaction here (a member declines or cancels, or a neighbour says so), then
 * tells the neighbours on the other sides. Erasing needs nobody's agreement: completion needs every
 * node on the way, so a transaction erased anywhere can never complete.
 */
export async function eraseTransaction(
  deps: NodeDeps,
  uuid: string,
  from: { side: Side } | { memberId: string; afterFinalRefusal?: boolean },
  receivedTrace: string | undefined,
): Promise<CcTransactionRow> {
  const { node } = deps;
  const erased = await deps.db.transaction(async (manager) => {
    await manager.query(LOCK_TIMEOUT_SQL);
    const found = await findTransaction(manager, uuid, "for update");
    if ("memberId" in from) {
      if (!found || found.memberId !== from.memberId) throw new NodeRefusal(404, NO_SUCH_TRANSACTION);
      if (found.state === "pending" && !from.afterFinalRefusal && (await completionInDoubtSince(manager, uuid)))
        throw new NodeRefusal(
          409,
          "You confirmed this exchange and a hub on the way has not answered yet: your hub is finishing it, so it can no longer be declined.",
        );
    } else {
      if (!found) throw new NodeRefusal(404, `No transaction ${uuid} on ${node.path.join("/")}.`);
      if (found.payerSide !== from.side && found.payeeSide !== from.side)
        throw new NodeRefusal(403, "Only a node on the way may erase a transaction.");
    }
    if (found.state === "completed")
      throw new NodeRefusal(409, "This exchange was completed; a correction is a new exchange the other way.");
    if (found.state === "erased") return { transaction: found, isNew: false };
    await clearCompletionInDoubt(manager, uuid);
    return { transaction: await markTransaction(manager, uuid, "erased", deps.clock()), isNew: true };
  });
  if (erased.isNew) {
    const fromSide = "side" in from ? from.side : undefined;
    for (const side of [erased.transaction.payerSide, erased.transaction.payeeSide]) {
      const neighbour = side !== fromSide ? neighbourOnSide(node, side) : undefined;
      // Best effort: a neighbour that does not hear of it still cannot complete without this node.
      if (neighbour)
        await changeTransactionState(node, neighbour, uuid, "erased", traceOnward(receivedTrace, node.name)).catch(
          () => undefined,
        );
    }
  }
  return erased.transaction;
}

/**
 * Sends again every payee's confirmation this hub sent without hearing the outcome (a hub on the
 * way failed after the payer's side may have committed it), oldest first: the payer's side answers
 * an already-completed transaction with success, so each retry completes it once on every node that
 * still holds it pending. A refusal saying it was erased or lapsed on the payer's side settles it
 * as erased everywhere; silence or a busy node leaves it for the next run.
 */
export async function retryCompletionsInDoubt(
  deps: NodeDeps,
  limit = 50,
): Promise<{ completed: number; erased: number; waiting: number }> {
  const outcome = { completed: 0, erased: 0, waiting: 0 };
  for (const item of await completionsInDoubt(deps.db, limit)) {
    await countCompletionAttempt(deps.db, item.uuid, deps.clock());
    try {
      await completeTransaction(deps, item.uuid, { payeeMemberId: item.memberId }, undefined);
      outcome.completed++;
    } catch (error) {
      // A lock held by a confirmation of the same exchange in progress, or any other failure: next run.
      if (!(error instanceof NodeRefusal)) {
        outcome.waiting++;
        continue;
      }
      if (error.message === UNKNOWN_ON_PAYER_SIDE) {
        outcome.erased++;
      } else if (isFinalRefusal(error.message)) {
        await eraseTransaction(deps, item.uuid, { memberId: item.memberId, afterFinalRefusal: true }, undefined);
        outcome.erased++;
      } else {
        outcome.waiting++;
      }
    }
  }
  return outcome;
}

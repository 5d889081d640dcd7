import { badInput, cycleContaining, isUuid, notFound, requirePerson, type Queryable, type Verdict } from "@rhizome/kit";
import { exchangeLimitProblem, type Audience } from "../domain/balance-limits.js";
import { confirmationRefusal, decisionRefusal, limitRefusal, OTHER_PARTY_LEFT } from "../domain/confirmation.js";
import { statusAfter, type ExchangeAction, type ExchangeState, type ExchangeStatus } from "../domain/exchanges.js";
import { exchangeTransfer } from "../domain/ledger.js";
import {
  lockPartyAccounts,
  postConfirmation,
  readCycleState,
  type ConfirmationPosting,
  type CycleState,
  type PartyAccount,
} from "../store/confirm-exchange.js";
import { lockExchange, markDecided, type ExchangeRow } from "../store/exchanges.js";
import { defineActionAfterLocks, type LockingStep } from "./after-locks.js";

// Confirming, declining and cancelling are one use case (a party decides on a pending exchange), so they share this file.

export const NO_SUCH_EXCHANGE = "No exchange with that id among yours.";

export interface ExchangeDecisionInput {
  exchangeId: string;
}

interface OwnExchange {
  exchange: ExchangeRow;
  /** The caller's member id in the exchange's circle. */
  memberId: string;
}

/** The exchange, locked, when the caller is one of its two parties; NOT_FOUND otherwise, as for a wrong id. */
async function lockOwnExchange({ caller, tx }: LockingStep, exchangeId: string): Promise<OwnExchange> {
  const person = requirePerson(caller);
  if (!isUuid(exchangeId)) throw badInput("exchangeId must be an exchange's id.");
  const exchange = await lockExchange(tx, exchangeId);
  const membership = exchange && person.memberships.find((m) => m.circleId === exchange.circleId);
  const isParty = membership && [exchange.providerMemberId, exchange.receiverMemberId].includes(membership.memberId);
  if (!exchange || !membership || !isParty) throw notFound(NO_SUCH_EXCHANGE);
  return { exchange, memberId: membership.memberId };
}

export interface ConfirmationAccess extends OwnExchange {
  provider: PartyAccount;
  receiver: PartyAccount;
  state: CycleState;
  cycle: string;
  now: Date;
}

/**
 * What a confirmation must hold before it reads the clock: both parties' accounts (and the
 * circle's cycle barrier); then the instant, once, and the circle's state in that instant's cycle.
 */
export async function lockConfirmation(
  tx: Queryable,
  own: OwnExchange,
  clock: () => Date,
): Promise<ConfirmationAccess> {
  const accounts = await lockPartyAccounts(tx, own.exchange);
  const now = clock();
  const cycle = cycleContaining(now).label;
  const state = await readCycleState(tx, own.exchange.circleId, accounts, cycle);
  return { ...own, ...accounts, state, cycle, now };
}

/** The domain's word on a confirmation: the one confirmation rule, then the circle's floor and ceiling. */
export function decideConfirmation(access: ConfirmationAccess): Verdict<ConfirmationPosting> {
  const { exchange, memberId, provider, receiver, state, cycle } = access;
  const audience = (partyId: string): Audience => (partyId === memberId ? "owner" : "counterpart");
  const refusal =
    confirmationRefusal({
      exchange,
      confirmerMemberId: memberId,
      provider: { memberId: provider.memberId, isClosed: provider.closedAt !== null },
      receiver: { memberId: receiver.memberId, isClosed: receiver.closedAt !== null },
      cycle,
      expiredThrough: [state.expiredThrough],
      otherPartyLeft: OTHER_PARTY_LEFT,
    }) ??
    limitRefusal(
      exchangeLimitProblem(
        {
          provider: { balanceMinutes: state.providerMinutes, audience: audience(provider.memberId) },
          receiver: { balanceMinutes: state.receiverMinutes, audience: audience(receiver.memberId) },
          minutes: exchange.minutes,
        },
        { floorMinutes: state.floorMinutes, ceilingMinutes: state.ceilingMinutes },
      ),
    );
  if (refusal) return refusal;
  const transfer = { ...exchangeTransfer(provider.id, receiver.id, exchange.minutes), cycle, exchangeId: exchange.id };
  return { exchange, transfer, cycle, confirmedAt: access.now };
}

/**
 * The other party confirms: the exchange's minutes move from receiver to provider in the cycle of
 * the instant of confirmation, and other services hear of it (exchange.confirmed), in one transaction.
 */
export const confirmExchange = defineActionAfterLocks({
  authorize: async (step, input: ExchangeDecisionInput) =>
    lockConfirmation(step.tx, await lockOwnExchange(step, input.exchangeId), step.context.clock),
  decide: (_input, access) => decideConfirmation(access),
  apply: ({ tx }, posting: ConfirmationPosting) => postConfirmation(tx, posting),
  emitsEvents: true,
});

/**
 * Declining or cancelling, of an exchange in one circle or between sister circles: it locks only
 * the exchange (found by `lockOwn`), reads the clock, and `mark`s it decided; no credits move.
 */
export function decisionWithoutCredits<Row extends ExchangeState & { id: string }>(
  action: Exclude<ExchangeAction, "confirm">,
  lockOwn: (step: LockingStep, exchangeId: string) => Promise<{ exchange: Row; memberId: string }>,
  mark: (tx: Queryable, exchangeId: string, status: ExchangeStatus, at: Date) => Promise<Row>,
) {
  return defineActionAfterLocks({
    authorize: async (step, input: ExchangeDecisionInput) => ({
      ...(await lockOwn(step, input.exchangeId)),
      now: step.context.clock(),
    }),
    decide: (_input, { exchange, memberId, now }): Verdict<ExchangeStatus> =>
      decisionRefusal(exchange, action, memberId, cycleContaining(now).label) ?? statusAfter[action],
    apply: ({ tx, now }, status, { exchange }) => mark(tx, exchange.id, status, now),
  });
}

/** The other party declines a pending exchange. */
export const declineExchange = decisionWithoutCredits("decline", lockOwnExchange, markDecided);
/** The proposer withdraws a pending exchange. */
export const cancelExchange = decisionWithoutCredits("cancel", lockOwnExchange, markDecided);

/** Each decision's action, by the verb a caller names. */
export const exchangeDecisions = { confirm: confirmExchange, decline: declineExchange, cancel: cancelExchange };

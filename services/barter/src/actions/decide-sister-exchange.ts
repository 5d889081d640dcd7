import {
  badInput,
  cycleContaining,
  isUuid,
  notFound,
  requirePerson,
  type Membership,
  type Verdict,
} from "@rhizome/kit";
import { type Audience } from "../domain/balance-limits.js";
import { confirmationRefusal, limitRefusal, SISTER_PARTY_LEFT } from "../domain/confirmation.js";
import {
  balanceOfTradeProblem,
  clearingTransfers,
  effectiveLinkStatus,
  sisterMemberLimitProblem,
} from "../domain/sisters.js";
import {
  lockSisterAccounts,
  lockSisterExchange,
  markSisterDecided,
  postSisterConfirmation,
  readSisterCycleState,
  type SisterAccounts,
  type SisterConfirmationPosting,
  type SisterCycleState,
  type SisterExchange,
} from "../store/sisters.js";
import { defineActionAfterLocks, type LockingStep } from "./after-locks.js";
import { decisionWithoutCredits } from "./decide-exchange.js";

// Confirming, declining and cancelling a sister exchange are one use case, so they share this file.

export const NO_SUCH_SISTER_EXCHANGE = "No sister exchange with that id among yours.";

export interface SisterDecisionInput {
  exchangeId: string;
}

interface OwnSisterExchange {
  exchange: SisterExchange;
  /** The caller's member id on their side of the exchange. */
  memberId: string;
}

/** The party the caller is in this sister exchange, or undefined when they take no part. */
function partyOf(exchange: SisterExchange, memberships: readonly Membership[]): Membership | undefined {
  return memberships.find(
    (m) =>
      (m.circleId === exchange.providerCircleId && m.memberId === exchange.providerMemberId) ||
      (m.circleId === exchange.receiverCircleId && m.memberId === exchange.receiverMemberId),
  );
}

/** The sister exchange, locked, when the caller is one of its parties; NOT_FOUND otherwise, as for a wrong id. */
async function lockOwnSisterExchange({ caller, tx }: LockingStep, exchangeId: string): Promise<OwnSisterExchange> {
  const person = requirePerson(caller);
  if (!isUuid(exchangeId)) throw badInput("exchangeId must be a sister exchange's id.");
  const exchange = await lockSisterExchange(tx, exchangeId);
  const party = exchange && partyOf(exchange, person.memberships);
  if (!exchange || !party) throw notFound(NO_SUCH_SISTER_EXCHANGE);
  return { exchange, memberId: party.memberId };
}

interface SisterConfirmationAccess extends OwnSisterExchange, SisterCycleState {
  accounts: SisterAccounts;
  cycle: string;
  now: Date;
}

/** The domain's word: the one confirmation rule, each member against their own circle's limits, the pair against its limit. */
function decideSisterConfirmation(access: SisterConfirmationAccess): Verdict<SisterConfirmationPosting> {
  const { exchange, memberId, accounts, cycle, link, settings, balances } = access;
  const { provider, receiver, providerClearing, receiverClearing } = accounts;
  const balanceOf = (accountId: string) => balances.get(accountId) ?? 0;
  const limitsOf = (circleId: string) => settings.find((s) => s.circleId === circleId)!;
  const audience = (partyId: string | null): Audience => (partyId === memberId ? "owner" : "counterpart");
  const refusal =
    confirmationRefusal({
      exchange,
      confirmerMemberId: memberId,
      provider: { memberId: exchange.providerMemberId, isClosed: provider.closedAt !== null },
      receiver: { memberId: exchange.receiverMemberId, isClosed: receiver.closedAt !== null },
      cycle,
      expiredThrough: settings.map((s) => s.expiredThrough),
      otherPartyLeft: SISTER_PARTY_LEFT,
    }) ??
    limitRefusal(
      sisterMemberLimitProblem(
        {
          balanceMinutes: balanceOf(provider.id),
          audience: audience(provider.memberId),
          limits: limitsOf(exchange.providerCircleId),
        },
        {
          balanceMinutes: balanceOf(receiver.id),
          audience: audience(receiver.memberId),
          limits: limitsOf(exchange.receiverCircleId),
        },
        exchange.minutes,
      ),
    ) ??
    limitRefusal(
      balanceOfTradeProblem(
        balanceOf(providerClearing.id),
        exchange.minutes,
        link.balanceLimitMinutes,
        effectiveLinkStatus(link, cycle),
      ),
    );
  if (refusal) return refusal;
  const transfers = clearingTransfers(
    {
      providerAccountId: provider.id,
      providerClearingAccountId: providerClearing.id,
      receiverAccountId: receiver.id,
      receiverClearingAccountId: receiverClearing.id,
    },
    exchange.minutes,
  );
  const tagged = { cycle, sisterExchangeId: exchange.id };
  return {
    exchange,
    link,
    accounts,
    inProviderCircle: { ...transfers.inProviderCircle, ...tagged },
    inReceiverCircle: { ...transfers.inReceiverCircle, ...tagged },
    cycle,
    confirmedAt: access.now,
  };
}

/**
 * The listing's member confirms: with both circles' cycle barriers and all four accounts locked,
 * the clock is read once, then one CLEARING transfer moves in each circle's ledger.
 */
export const confirmSisterExchange = defineActionAfterLocks({
  authorize: async (step, input: SisterDecisionInput): Promise<SisterConfirmationAccess> => {
    const own = await lockOwnSisterExchange(step, input.exchangeId);
    const accounts = await lockSisterAccounts(step.tx, own.exchange);
    const now = step.context.clock();
    const cycle = cycleContaining(now).label;
    const state = await readSisterCycleState(step.tx, own.exchange, accounts, cycle);
    return { ...own, ...state, accounts, cycle, now };
  },
  decide: (_input, access) => decideSisterConfirmation(access),
  apply: ({ tx }, posting) => postSisterConfirmation(tx, posting),
  emitsEvents: true,
});

/** Each decision on a sister exchange, by the verb a caller names. */
export const sisterExchangeDecisions = {
  confirm: confirmSisterExchange,
  decline: decisionWithoutCredits("decline", lockOwnSisterExchange, markSisterDecided),
  cancel: decisionWithoutCredits("cancel", lockOwnSisterExchange, markSisterDecided),
};

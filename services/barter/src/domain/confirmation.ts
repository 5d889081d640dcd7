import type { Refusal } from "@rhizome/kit/rules";
import { exchangeActionProblem, type ExchangeAction, type ExchangeState } from "./exchanges.js";

export const LEFT_THE_CIRCLE = "You have left this circle, so you can no longer barter in it.";
export const OTHER_PARTY_LEFT = "The other party has left this circle, so this exchange can no longer be confirmed.";
export const SISTER_PARTY_LEFT = "The other party has left their circle, so this exchange can no longer be confirmed.";
export const CYCLE_EXPIRING =
  "This cycle's credits are expiring at the new moon; the proposal lapsed with it. Propose the exchange again.";

/** A party to an exchange as its confirmation finds them, with every lock held. */
export interface ConfirmingParty {
  memberId: string;
  isClosed: boolean;
}

/**
 * What a confirmation knows once it holds every lock and has read the clock, whether the two
 * parties are in one circle or in two sister circles.
 */
export interface ConfirmationFacts {
  exchange: ExchangeState;
  confirmerMemberId: string;
  provider: ConfirmingParty;
  receiver: ConfirmingParty;
  /** The cycle of the confirmation's instant. */
  cycle: string;
  /** The cycle whose expiry began last, of each circle the exchange moves credits in. */
  expiredThrough: ReadonlyArray<string | null>;
  /** What the confirmer reads when the other party left (their circle or this one). */
  otherPartyLeft: string;
}

/**
 * The one rule of a confirmation, before the balance limits: the confirmer must still be in their
 * circle (FORBIDDEN), the other party too (NOT_FOUND), the confirmer must be the party who did not
 * propose, while the exchange is pending in the cycle it was proposed in, and the cycle must not be
 * expiring (CONFLICT).
 */
export function confirmationRefusal(facts: ConfirmationFacts): Refusal | undefined {
  const { provider, receiver, confirmerMemberId } = facts;
  const confirmer = provider.memberId === confirmerMemberId ? provider : receiver;
  if (confirmer.isClosed) return { code: "FORBIDDEN", problem: LEFT_THE_CIRCLE };
  if (provider.isClosed || receiver.isClosed) return { code: "NOT_FOUND", problem: facts.otherPartyLeft };
  const refused = decisionRefusal(facts.exchange, "confirm", confirmerMemberId, facts.cycle);
  if (refused) return refused;
  if (facts.expiredThrough.some((through) => through !== null && through >= facts.cycle))
    return { code: "CONFLICT", problem: CYCLE_EXPIRING };
  return undefined;
}

/** Why a party may not confirm, decline or cancel the exchange now, as a refusal (FORBIDDEN or CONFLICT). */
export function decisionRefusal(
  exchange: ExchangeState,
  action: ExchangeAction,
  callerMemberId: string,
  currentCycle: string,
): Refusal | undefined {
  const problem = exchangeActionProblem(exchange, action, callerMemberId, currentCycle);
  return problem && { code: problem.code, problem: problem.problem };
}

/** The refusal of a balance-limit problem (BAD_USER_INPUT), or undefined when there is none. */
export function limitRefusal(problem: string | undefined): Refusal | undefined {
  return problem === undefined ? undefined : { problem };
}

import { cycleContaining, publishIfEnoughPeople, suppressSmallCount } from "@rhizome/kit/rules";
import { formatMinutesAsHours } from "./minutes.js";
import type { Transfer } from "./ledger.js";
import { exchangeLimitProblem, type Audience, type BalanceLimits } from "./balance-limits.js";

/**
 * Sister circles (F5), after the Credit Commons model: each circle keeps its own ledger, and holds
 * one clearing account per sister. When a member of circle P gives time to a member of circle R,
 * P's ledger credits its member and debits its clearing account for R; R's ledger debits its member
 * and credits its clearing account for P. Each ledger stays balanced on its own, and the two
 * clearing accounts mirror each other: P's for R is always minus R's for P.
 */
export const sisterLinkStatuses = ["PROPOSED", "ACTIVE", "ENDING", "ENDED"] as const;
export type SisterLinkStatus = (typeof sisterLinkStatuses)[number];

/** Organizers may let a pair's balance of trade reach up to 500 hours either way within a cycle. */
export const MAX_BALANCE_OF_TRADE_LIMIT_MINUTES = 500 * 60;
/** Live sister links (proposed, active or ending) a circle may have at once. */
export const MAX_LIVE_SISTER_LINKS = 20;

export function balanceLimitProblem(limitMinutes: number): string | undefined {
  if (!Number.isInteger(limitMinutes) || limitMinutes < 1)
    return `The balance-of-trade limit is a whole number of minutes, at least 1; got ${limitMinutes}.`;
  if (limitMinutes > MAX_BALANCE_OF_TRADE_LIMIT_MINUTES) {
    return `The balance-of-trade limit is at most ${formatMinutesAsHours(MAX_BALANCE_OF_TRADE_LIMIT_MINUTES)}; got ${formatMinutesAsHours(limitMinutes)}.`;
  }
  return undefined;
}

export interface ClearingSides {
  providerAccountId: string;
  /** The provider's circle's clearing account for the receiver's circle. */
  providerClearingAccountId: string;
  receiverAccountId: string;
  /** The receiver's circle's clearing account for the provider's circle. */
  receiverClearingAccountId: string;
}

/** The two transfers of a sister exchange: one in the provider's circle, one in the receiver's. Each sums to zero. */
export function clearingTransfers(
  sides: ClearingSides,
  minutes: number,
): { inProviderCircle: Transfer; inReceiverCircle: Transfer } {
  return {
    inProviderCircle: {
      kind: "CLEARING",
      entries: [
        { accountId: sides.providerAccountId, amountMinutes: minutes },
        { accountId: sides.providerClearingAccountId, amountMinutes: -minutes },
      ],
    },
    inReceiverCircle: {
      kind: "CLEARING",
      entries: [
        { accountId: sides.receiverClearingAccountId, amountMinutes: minutes },
        { accountId: sides.receiverAccountId, amountMinutes: -minutes },
      ],
    },
  };
}

/**
 * Why a sister exchange cannot move `minutes` now, or undefined when it can. `providerClearingMinutes`
 * is the provider circle's clearing balance for the receiver's circle this cycle (negative when the
 * receiver's circle owes it time). The balance of trade must stay within the limit both organizers
 * set; while a link is ending, only exchanges that bring the balance closer to settled go through.
 */
export function balanceOfTradeProblem(
  providerClearingMinutes: number,
  minutes: number,
  limitMinutes: number,
  status: SisterLinkStatus,
): string | undefined {
  const after = providerClearingMinutes - minutes;
  if (status === "ENDING" && Math.abs(after) >= Math.abs(providerClearingMinutes)) {
    return "This sister link is ending: only exchanges that settle the balance of trade between the two circles go through until it ends.";
  }
  if (status !== "ACTIVE" && status !== "ENDING") return "These circles are not linked as sisters (any more).";
  if (Math.abs(after) > limitMinutes) {
    return `Exchange would take the balance of trade between the two circles beyond the limit of ${formatMinutesAsHours(limitMinutes)} both organizers set; give fewer minutes, or wait for an exchange the other way or the new moon.`;
  }
  return undefined;
}

/** A pair's trade in one cycle, as counted. */
export interface SisterTradeFigures {
  /** Minutes members of the first circle gave members of the second. */
  minutesGiven: number;
  /** Minutes members of the second circle gave members of the first. */
  minutesReceived: number;
  /** Distinct members of both circles who took part. */
  participantCount: number;
}

export interface PublishedSisterTrade {
  minutesGiven: number | null;
  minutesReceived: number | null;
  /** What the second circle owes the first (negative: the first owes the second). */
  balanceMinutes: number | null;
  participantCount: number | null;
}

/** The public figure: every number is null when fewer than 5 distinct members took part. */
export function publishSisterTrade(figures: SisterTradeFigures): PublishedSisterTrade {
  const people = figures.participantCount;
  return {
    minutesGiven: publishIfEnoughPeople(figures.minutesGiven, people),
    minutesReceived: publishIfEnoughPeople(figures.minutesReceived, people),
    balanceMinutes: publishIfEnoughPeople(figures.minutesGiven - figures.minutesReceived, people),
    participantCount: suppressSmallCount(people),
  };
}

export interface SisterParty {
  balanceMinutes: number;
  audience: Audience;
  /** The party's own circle's floor and ceiling. */
  limits: BalanceLimits;
}

/** Each member answers to their own circle's limits: the receiver to its floor, the provider to its ceiling. */
export function sisterMemberLimitProblem(
  provider: SisterParty,
  receiver: SisterParty,
  minutes: number,
): string | undefined {
  // Each check sets the other side out of reach of its bound, so only one circle's limits apply at a time.
  return (
    exchangeLimitProblem(
      {
        provider: { balanceMinutes: Number.NEGATIVE_INFINITY, audience: provider.audience },
        receiver: { balanceMinutes: receiver.balanceMinutes, audience: receiver.audience },
        minutes,
      },
      receiver.limits,
    ) ??
    exchangeLimitProblem(
      {
        provider: { balanceMinutes: provider.balanceMinutes, audience: provider.audience },
        receiver: { balanceMinutes: Number.POSITIVE_INFINITY, audience: receiver.audience },
        minutes,
      },
      provider.limits,
    )
  );
}

/** A link that was ending when a new moon passed has ended, whether or not an expiry has recorded it yet. */
export function effectiveLinkStatus(
  link: { status: SisterLinkStatus; endRequestedAt: Date | null },
  currentCycle: string,
): SisterLinkStatus {
  if (link.status === "ENDING" && link.endRequestedAt && cycleContaining(link.endRequestedAt).label < currentCycle)
    return "ENDED";
  return link.status;
}

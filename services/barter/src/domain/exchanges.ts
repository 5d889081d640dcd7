import { normaliseSkill } from "./skills.js";

export const exchangeStatuses = ["PENDING", "CONFIRMED", "DECLINED", "CANCELLED", "EXPIRED"] as const;
export type ExchangeStatus = (typeof exchangeStatuses)[number];

export const MIN_EXCHANGE_MINUTES = 1;
/** Nobody gives more than a day in one exchange; longer work is several exchanges. */
export const MAX_EXCHANGE_MINUTES = 24 * 60;
export const MAX_EXCHANGE_NOTE_LENGTH = 280;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;

export interface ProposalDraft {
  providerMemberId: string;
  receiverMemberId: string;
  minutes: number;
  skill: string;
  note?: string | null;
  idempotencyKey?: string | null;
}

export interface Proposal {
  providerMemberId: string;
  receiverMemberId: string;
  /** The party who proposes; the other one must confirm. */
  proposerMemberId: string;
  counterpartMemberId: string;
  minutes: number;
  skill: string;
  note: string;
  idempotencyKey: string | null;
}

export type ProposalResult = { proposal: Proposal } | { problem: string; code: "BAD_USER_INPUT" | "FORBIDDEN" };

/** Checks a proposal made by `proposerMemberId`, before anyone looks at the database. */
export function validateProposal(draft: ProposalDraft, proposerMemberId: string): ProposalResult {
  const { providerMemberId, receiverMemberId, minutes } = draft;
  if (!Number.isInteger(minutes) || minutes < MIN_EXCHANGE_MINUTES) {
    return {
      code: "BAD_USER_INPUT",
      problem: `An exchange is at least ${MIN_EXCHANGE_MINUTES} minute; got ${minutes}.`,
    };
  }
  if (minutes > MAX_EXCHANGE_MINUTES) {
    return {
      code: "BAD_USER_INPUT",
      problem: `An exchange is at most ${MAX_EXCHANGE_MINUTES} minutes (one day); got ${minutes}. Record longer work as several exchanges.`,
    };
  }
  if (providerMemberId === receiverMemberId) {
    return { code: "BAD_USER_INPUT", problem: "The provider and the receiver must be two different members." };
  }
  if (proposerMemberId !== providerMemberId && proposerMemberId !== receiverMemberId) {
    return {
      code: "FORBIDDEN",
      problem: "You can only propose an exchange you take part in, as provider or receiver.",
    };
  }
  const skill = normaliseSkill(draft.skill);
  if ("problem" in skill) return { code: "BAD_USER_INPUT", problem: skill.problem };
  const note = (draft.note ?? "").trim();
  if (note.length > MAX_EXCHANGE_NOTE_LENGTH) {
    return {
      code: "BAD_USER_INPUT",
      problem: `The note is ${note.length} characters; keep it to ${MAX_EXCHANGE_NOTE_LENGTH}.`,
    };
  }
  const idempotencyKey = draft.idempotencyKey ?? null;
  const keyProblem = idempotencyKeyProblem(idempotencyKey);
  if (keyProblem) return { code: "BAD_USER_INPUT", problem: keyProblem };
  return {
    proposal: {
      providerMemberId,
      receiverMemberId,
      proposerMemberId,
      counterpartMemberId: proposerMemberId === providerMemberId ? receiverMemberId : providerMemberId,
      minutes,
      skill: skill.skill,
      note,
      idempotencyKey,
    },
  };
}

/** Whether a retried proposal with the same idempotency key asks for the same exchange. */
export function isSameProposal(
  stored: Omit<Proposal, "counterpartMemberId" | "idempotencyKey">,
  proposal: Proposal,
): boolean {
  return (
    stored.providerMemberId === proposal.providerMemberId &&
    stored.receiverMemberId === proposal.receiverMemberId &&
    stored.minutes === proposal.minutes &&
    stored.skill === proposal.skill &&
    stored.note === proposal.note
  );
}

export type ExchangeAction = "confirm" | "decline" | "cancel";

export interface ExchangeState {
  status: ExchangeStatus;
  proposerMemberId: string;
  proposedCycle: string;
}

export interface ActionProblem {
  code: "FORBIDDEN" | "CONFLICT";
  problem: string;
}

const pastTense: Record<ExchangeStatus, string> = {
  PENDING: "pending",
  CONFIRMED: "already confirmed",
  DECLINED: "already declined",
  CANCELLED: "already cancelled",
  EXPIRED: "expired at the new moon",
};

/**
 * Why a party to the exchange may not take this action now, or undefined when they may.
 * The other party confirms or declines; the proposer may cancel while it is pending.
 * A proposal lapses with the cycle it was made in, so it cannot move credits into the next one.
 */
export function exchangeActionProblem(
  exchange: ExchangeState,
  action: ExchangeAction,
  callerMemberId: string,
  currentCycle: string,
): ActionProblem | undefined {
  if (exchange.status !== "PENDING") {
    return {
      code: "CONFLICT",
      problem: `This exchange is ${pastTense[exchange.status]}; it can no longer be ${action === "confirm" ? "confirmed" : action === "decline" ? "declined" : "cancelled"}.`,
    };
  }
  const isProposer = exchange.proposerMemberId === callerMemberId;
  if (action === "cancel" && !isProposer)
    return {
      code: "FORBIDDEN",
      problem: "Only the member who proposed this exchange can cancel it; you can decline it.",
    };
  if (action !== "cancel" && isProposer) {
    return {
      code: "FORBIDDEN",
      problem: `You proposed this exchange, so the other party ${action}s it; you can cancel it while it is pending.`,
    };
  }
  if (action === "confirm" && exchange.proposedCycle !== currentCycle) {
    return {
      code: "CONFLICT",
      problem: "This proposal lapsed at the new moon, when credits expired; propose the exchange again.",
    };
  }
  return undefined;
}

export const statusAfter: Record<ExchangeAction, ExchangeStatus> = {
  confirm: "CONFIRMED",
  decline: "DECLINED",
  cancel: "CANCELLED",
};

/** Why a client's idempotency key is refused, or undefined when it is fine (none is fine too). */
export function idempotencyKeyProblem(idempotencyKey: string | null): string | undefined {
  if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH))
    return `An idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`;
  return undefined;
}

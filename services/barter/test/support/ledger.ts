import type { DataSource } from "typeorm";
import { validateProposal } from "../../src/domain/exchanges.js";
import type { ExchangeRow } from "../../src/entities/exchange.js";
import { decideExchange, proposeExchange } from "../../src/store/exchanges.js";
import type { TestCircle, TestMember } from "./circles.js";

/** Proposes an exchange as the provider, at a given instant, through the service's own ledger functions. */
export async function proposeAt(
  db: DataSource,
  circle: TestCircle,
  provider: TestMember,
  receiver: TestMember,
  minutes: number,
  at: Date,
): Promise<ExchangeRow> {
  const result = validateProposal(
    { providerMemberId: provider.memberId, receiverMemberId: receiver.memberId, minutes, skill: "gardening" },
    provider.memberId,
  );
  if ("problem" in result) throw new Error(result.problem);
  return proposeExchange(db, circle.circleId, result.proposal, at);
}

/** Proposed by the provider and confirmed by the receiver, both at `at`. */
export async function exchangeAt(
  db: DataSource,
  circle: TestCircle,
  provider: TestMember,
  receiver: TestMember,
  minutes: number,
  at: Date,
): Promise<ExchangeRow> {
  const proposed = await proposeAt(db, circle, provider, receiver, minutes, at);
  return decideExchange(db, {
    exchangeId: proposed.id,
    action: "confirm",
    memberships: [{ circleId: circle.circleId, memberId: receiver.memberId, roles: receiver.roles }],
    clock: () => at,
  });
}

export const hoursAfter = (instant: Date, hours: number) => new Date(instant.getTime() + hours * 3_600_000);

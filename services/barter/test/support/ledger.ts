import type { DataSource } from "typeorm";
import type { Membership } from "@rhizome/kit";
import { exchangeDecisions } from "../../src/actions/decide-exchange.js";
import { proposeExchange as proposeAction } from "../../src/actions/propose-exchange.js";
import { validateProposal, type ExchangeAction, type Proposal } from "../../src/domain/exchanges.js";
import type { ExchangeRow } from "../../src/store/exchanges.js";
import { actionContext } from "./actions.js";
import type { TestCircle, TestMember } from "./circles.js";

/** Proposes an already validated exchange in a circle, as its proposer, at `at`, through the service's own action. */
export function proposeExchange(db: DataSource, circleId: string, proposal: Proposal, at: Date): Promise<ExchangeRow> {
  const proposer = { circleId, memberId: proposal.proposerMemberId, roles: [] };
  return proposeAction(
    actionContext(db, [proposer], () => at),
    { ...proposal, circleId },
  );
}

/** Confirms, declines or cancels an exchange as a member with these memberships, through the service's own actions. */
export function decideExchange(
  db: DataSource,
  decision: { exchangeId: string; action: ExchangeAction; memberships: readonly Membership[]; clock: () => Date },
): Promise<ExchangeRow> {
  const context = actionContext(db, decision.memberships, decision.clock);
  return exchangeDecisions[decision.action](context, { exchangeId: decision.exchangeId });
}

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

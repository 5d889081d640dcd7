import type { DataSource } from "typeorm";
import { conflict, cycleContaining, forbidden, notFound, type Membership } from "@rhizome/kit";
import { exchangeActionProblem, isSameProposal, statusAfter, type ExchangeAction, type Proposal } from "../domain/exchanges.js";
import { ExchangeRow } from "../entities/exchange.js";
import { findMemberAccount, openMemberAccount } from "./accounts.js";
import { confirmExchangeSql, lockExchange, postConfirmedExchange } from "./confirm-exchange.js";

const NOT_A_MEMBER_HERE = "The other member is not a member of this circle's barter. Check the member id.";
const NO_SUCH_EXCHANGE = "No exchange with that id among yours.";

/**
 * Records a proposal. With an idempotency key, a retry by the same proposer returns the exchange
 * the first attempt made instead of making a second one.
 */
export async function proposeExchange(db: DataSource, circleId: string, proposal: Proposal, now: Date): Promise<ExchangeRow> {
  return db.transaction(async (manager) => {
    await openMemberAccount(manager, circleId, proposal.proposerMemberId, now);
    if (!(await findMemberAccount(manager, circleId, proposal.counterpartMemberId))) throw notFound(NOT_A_MEMBER_HERE);
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, idempotency_key, proposed_at, proposed_cycle)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (circle_id, proposer_member_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        circleId,
        proposal.providerMemberId,
        proposal.receiverMemberId,
        proposal.proposerMemberId,
        proposal.minutes,
        proposal.skill,
        proposal.note,
        proposal.idempotencyKey,
        now,
        cycleContaining(now).label,
      ],
    );
    const exchanges = manager.getRepository(ExchangeRow);
    if (inserted.length === 1) return exchanges.findOneByOrFail({ id: inserted[0].id });
    const earlier = await exchanges.findOneByOrFail({ circleId, proposerMemberId: proposal.proposerMemberId, idempotencyKey: proposal.idempotencyKey ?? "" });
    if (!isSameProposal(earlier, proposal)) {
      throw conflict("This idempotency key was already used for a different exchange; use a new key for a new exchange.");
    }
    return earlier;
  });
}

export interface ExchangeDecision {
  exchangeId: string;
  action: ExchangeAction;
  /** The caller's memberships, proven by their token. */
  memberships: readonly Membership[];
  /** Read after the rows are locked; tests pass a fixed instant. */
  clock: () => Date;
}

/** Confirms, declines or cancels an exchange. Only confirmation moves credits. */
export async function decideExchange(db: DataSource, decision: ExchangeDecision): Promise<ExchangeRow> {
  return db.transaction(async (manager) => {
    const exchange = await lockExchange(manager, decision.exchangeId);
    const membership = exchange && decision.memberships.find((m) => m.circleId === exchange.circleId);
    const isParty = membership && [exchange.providerMemberId, exchange.receiverMemberId].includes(membership.memberId);
    if (!exchange || !membership || !isParty) throw notFound(NO_SUCH_EXCHANGE);
    // Both parties' accounts exist: proposing opened the proposer's and required the other's.
    const now = decision.clock();
    const problem = exchangeActionProblem(
      { status: exchange.status, proposerMemberId: exchange.proposerMemberId, proposedCycle: exchange.proposedCycle },
      decision.action,
      membership.memberId,
      cycleContaining(now).label,
    );
    if (problem) throw problem.code === "FORBIDDEN" ? forbidden(problem.problem) : conflict(problem.problem);
    if (decision.action === "confirm") {
      await postConfirmedExchange(manager, exchange, membership.memberId, decision.clock);
    } else {
      await manager.query(confirmExchangeSql.markDecided, [exchange.id, statusAfter[decision.action], now]);
    }
    return manager.getRepository(ExchangeRow).findOneByOrFail({ id: exchange.id });
  });
}

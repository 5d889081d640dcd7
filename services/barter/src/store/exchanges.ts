import type { DataSource } from "typeorm";
import {
  conflict,
  cycleContaining,
  forbidden,
  isUuid,
  notFound,
  type InstantCursor,
  type Membership,
} from "@rhizome/kit";
import {
  exchangeActionProblem,
  isSameProposal,
  statusAfter,
  type ExchangeAction,
  type ExchangeStatus,
  type Proposal,
} from "../domain/exchanges.js";
import { ExchangeRow } from "../entities/exchange.js";
import { LEFT_THE_CIRCLE, openMemberAccount } from "./accounts.js";
import { lockExchange, markDecided, postConfirmedExchange } from "./confirm-exchange.js";

const NOT_A_MEMBER_HERE = "The other member is not a member of this circle's barter. Check the member id.";
export const NO_SUCH_EXCHANGE = "No exchange with that id among yours.";

/**
 * Records a proposal. With an idempotency key, a retry by the same proposer returns the exchange
 * the first attempt made instead of making a second one. Both accounts are held FOR SHARE (in id
 * order, as confirmations lock them) so neither party can leave the circle halfway through.
 */
export async function proposeExchange(
  db: DataSource,
  circleId: string,
  proposal: Proposal,
  now: Date,
): Promise<ExchangeRow> {
  return db.transaction(async (manager) => {
    await openMemberAccount(manager, circleId, proposal.proposerMemberId, now);
    const parties: Array<{ member_id: string; closed_at: Date | null }> = await manager.query(
      `SELECT member_id, closed_at FROM accounts WHERE circle_id = $1 AND member_id = ANY($2::uuid[]) ORDER BY id FOR SHARE`,
      [circleId, [proposal.proposerMemberId, proposal.counterpartMemberId]],
    );
    const proposer = parties.find((p) => p.member_id === proposal.proposerMemberId);
    const counterpart = parties.find((p) => p.member_id === proposal.counterpartMemberId);
    if (!proposer || proposer.closed_at) throw forbidden(LEFT_THE_CIRCLE);
    if (!counterpart || counterpart.closed_at) throw notFound(NOT_A_MEMBER_HERE);
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
    const earlier = await exchanges.findOneByOrFail({
      circleId,
      proposerMemberId: proposal.proposerMemberId,
      idempotencyKey: proposal.idempotencyKey ?? "",
    });
    if (!isSameProposal(earlier, proposal)) {
      throw conflict(
        "This idempotency key was already used for a different exchange; use a new key for a new exchange.",
      );
    }
    return earlier;
  });
}

export interface ExchangeDecision {
  exchangeId: string;
  action: ExchangeAction;
  /** The caller's memberships, proven by their token. */
  memberships: readonly Membership[];
  /** Read exactly once, after every row the decision needs is locked; tests pass a fixed or stepping clock. */
  clock: () => Date;
}

/** Confirms, declines or cancels an exchange. Only confirmation moves credits. */
export async function decideExchange(db: DataSource, decision: ExchangeDecision): Promise<ExchangeRow> {
  if (!isUuid(decision.exchangeId)) throw notFound(NO_SUCH_EXCHANGE);
  return db.transaction(async (manager) => {
    const exchange = await lockExchange(manager, decision.exchangeId);
    const membership = exchange && decision.memberships.find((m) => m.circleId === exchange.circleId);
    const isParty = membership && [exchange.providerMemberId, exchange.receiverMemberId].includes(membership.memberId);
    if (!exchange || !membership || !isParty) throw notFound(NO_SUCH_EXCHANGE);
    if (decision.action === "confirm")
      return postConfirmedExchange(manager, exchange, membership.memberId, decision.clock);
    // Declining or cancelling locks only the exchange, which is held now.
    const now = decision.clock();
    const problem = exchangeActionProblem(
      { status: exchange.status, proposerMemberId: exchange.proposerMemberId, proposedCycle: exchange.proposedCycle },
      decision.action,
      membership.memberId,
      cycleContaining(now).label,
    );
    if (problem) throw problem.code === "FORBIDDEN" ? forbidden(problem.problem) : conflict(problem.problem);
    return markDecided(manager, exchange.id, statusAfter[decision.action], now);
  });
}

/** The exchange with this id, or undefined; an id that is not a UUID names nothing and never reaches Postgres. */
export async function findExchange(db: DataSource, exchangeId: string): Promise<ExchangeRow | undefined> {
  if (!isUuid(exchangeId)) return undefined;
  return (await db.getRepository(ExchangeRow).findOneBy({ id: exchangeId })) ?? undefined;
}

export interface MemberExchangesQuery {
  circleId: string;
  memberId: string;
  status?: ExchangeStatus | null;
  /** A cycle label: only exchanges proposed in it. */
  cycle?: string | null;
  after?: InstantCursor;
  /** Rows to return: a page size plus one, to tell whether a next page exists. */
  limit: number;
}

/** The exchanges a member gave or received time in, newest first. */
export function memberExchanges(db: DataSource, query: MemberExchangesQuery): Promise<ExchangeRow[]> {
  const builder = db
    .getRepository(ExchangeRow)
    .createQueryBuilder("x")
    .where("x.circleId = :circleId AND (x.providerMemberId = :memberId OR x.receiverMemberId = :memberId)", {
      circleId: query.circleId,
      memberId: query.memberId,
    })
    .orderBy("x.proposedAt", "DESC")
    .addOrderBy("x.id", "DESC")
    .limit(query.limit);
  if (query.status) builder.andWhere("x.status = :status", { status: query.status });
  if (query.cycle) builder.andWhere("x.proposedCycle = :cycle", { cycle: query.cycle });
  if (query.after) builder.andWhere("(x.proposedAt, x.id) < (:at, :id)", query.after);
  return builder.getMany();
}

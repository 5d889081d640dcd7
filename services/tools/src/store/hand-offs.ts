import { randomUUID } from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import {
  badInput,
  conflict,
  cycleContaining,
  emitEvent,
  forbidden,
  isUuid,
  membershipIn,
  notFound,
  type Caller,
  type InstantCursor,
} from "@rhizome/kit";
import { lendingProblem } from "../domain/catalogue.js";
import { handOffProblem, type Problem } from "../domain/hand-offs.js";
import { dueAtAfter } from "../domain/loans.js";
import { CustodyRow } from "../entities/custody.js";
import { HandOffRow } from "../entities/hand-off.js";
import { LoanRow } from "../entities/loan.js";
import type { ToolRow } from "../entities/tool.js";
import { lockTool } from "./catalogue.js";
import { isCurrentMember, rememberMember } from "./members.js";
import { tellReservationsClosed } from "./reservation-events.js";
import { librarySettingsOf, loanDaysFor } from "./settings.js";
import { updateReturning } from "./sql.js";

export const NO_SUCH_HAND_OFF = "No hand-off with that id among yours.";

function fail(problem: Problem): never {
  if (problem.code === "FORBIDDEN") throw forbidden(problem.problem);
  if (problem.code === "CONFLICT") throw conflict(problem.problem);
  throw badInput(problem.problem);
}

async function queueHead(manager: EntityManager, toolId: string): Promise<string | undefined> {
  const [head]: Array<{ member_id: string }> = await manager.query(
    `SELECT member_id FROM reservations WHERE tool_id = $1 AND status = 'WAITING' ORDER BY position LIMIT 1`,
    [toolId],
  );
  return head?.member_id;
}

async function checkHandOff(
  manager: EntityManager,
  tool: ToolRow,
  fromMemberId: string,
  toMemberId: string,
): Promise<void> {
  const problem = handOffProblem({
    holderMemberId: tool.holderMemberId,
    hostMemberId: tool.hostMemberId,
    fromMemberId,
    toMemberId,
    queueHeadMemberId: await queueHead(manager, tool.id),
    lendingProblem: lendingProblem(tool),
  });
  if (problem) fail(problem);
}

async function insertProposal(
  manager: EntityManager,
  tool: ToolRow,
  fromMemberId: string,
  toMemberId: string,
  proposedBy: string,
  now: Date,
): Promise<HandOffRow> {
  const pending = await manager.getRepository(HandOffRow).findOneBy({ toolId: tool.id, status: "PROPOSED" });
  if (pending)
    throw conflict(
      "A hand-off of this tool is already waiting for confirmation; it must be confirmed, declined or cancelled first.",
    );
  const row = Object.assign(new HandOffRow(), {
    id: randomUUID(),
    circleId: tool.circleId,
    toolId: tool.id,
    fromMemberId,
    toMemberId,
    proposedByMemberId: proposedBy,
    status: "PROPOSED",
    proposedAt: now,
    decidedAt: null,
  });
  await manager.getRepository(HandOffRow).insert(row);
  return row;
}

/** The holder offers the tool to a member; it changes hands when they confirm. */
export async function proposeHandOff(
  db: DataSource,
  toolId: string,
  toMemberId: string,
  caller: Caller,
  now: Date,
): Promise<HandOffRow> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, toolId, caller);
    if (tool.holderMemberId !== membership.memberId)
      throw forbidden("Only the member who holds this tool can hand it on; ask them, or use requestHandOff.");
    if (!isUuid(toMemberId) || !(await isCurrentMember(manager, tool.circleId, toMemberId))) {
      throw badInput("The receiving member is not a member of this tool's circle (toMemberId).");
    }
    await checkHandOff(manager, tool, membership.memberId, toMemberId);
    await rememberMember(manager, tool.circleId, membership.memberId, now);
    return insertProposal(manager, tool, membership.memberId, toMemberId, membership.memberId, now);
  });
}

/** A member asks the holder for the tool (they must be next in the queue, or nobody waits); the holder confirms. */
export async function requestHandOff(db: DataSource, toolId: string, caller: Caller, now: Date): Promise<HandOffRow> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, toolId, caller);
    if (tool.holderMemberId === membership.memberId) throw badInput("You hold this tool already.");
    await checkHandOff(manager, tool, tool.holderMemberId, membership.memberId);
    await rememberMember(manager, tool.circleId, membership.memberId, now);
    return insertProposal(manager, tool, tool.holderMemberId, membership.memberId, membership.memberId, now);
  });
}

export interface ConfirmedHandOff {
  handOff: HandOffRow;
  /** The loan the hand-off ended, if the giver was a borrower. */
  loanEnded: LoanRow | undefined;
  /** The loan it started, unless the tool went home to its host. */
  loanStarted: LoanRow | undefined;
  reminderIntervalHours: number;
}

async function lockPendingHandOff(
  manager: EntityManager,
  handOffId: string,
  caller: Caller,
): Promise<{ handOff: HandOffRow; tool: ToolRow; memberId: string }> {
  const found = isUuid(handOffId) ? await manager.getRepository(HandOffRow).findOneBy({ id: handOffId }) : null;
  const membership = found && membershipIn(caller, found.circleId);
  if (!found || !membership || ![found.fromMemberId, found.toMemberId].includes(membership.memberId))
    throw notFound(NO_SUCH_HAND_OFF);
  const { tool } = await lockTool(manager, found.toolId, caller);
  const handOff = await manager
    .getRepository(HandOffRow)
    .findOneOrFail({ where: { id: handOffId }, lock: { mode: "pessimistic_write" } });
  if (handOff.status !== "PROPOSED") throw conflict(`This hand-off is already ${handOff.status.toLowerCase()}.`);
  return { handOff, tool, memberId: membership.memberId };
}

/**
 * The other party confirms: only now does the tool change hands. Under the tool's row lock the
 * rules are checked again against the tool as it is now; the giver's custody closes and the
 * receiver's opens (the table allows one open spell per tool); a loan held by the giver ends and
 * is announced as loan.completed; unless the tool goes home to its host, a loan starts for the
 * receiver, due by the circle's rule for the tool's category.
 */
export async function confirmHandOff(
  db: DataSource,
  handOffId: string,
  caller: Caller,
  now: Date,
): Promise<ConfirmedHandOff> {
  return db.transaction(async (manager) => {
    const { handOff, tool, memberId } = await lockPendingHandOff(manager, handOffId, caller);
    if (handOff.proposedByMemberId === memberId)
      throw forbidden("You proposed this hand-off: the other member confirms it.");
    await checkHandOff(manager, tool, handOff.fromMemberId, handOff.toMemberId);
    if (!(await isCurrentMember(manager, tool.circleId, handOff.toMemberId)))
      throw conflict("The receiving member has left the circle.");

    Object.assign(handOff, { status: "CONFIRMED", decidedAt: now });
    await manager.getRepository(HandOffRow).save(handOff);

    const closed = await updateReturning<{ member_id: string }>(
      manager,
      `UPDATE custody SET held_until = $2 WHERE tool_id = $1 AND held_until IS NULL RETURNING member_id`,
      [tool.id, now],
    );
    if (closed.length !== 1 || closed[0].member_id !== handOff.fromMemberId) {
      throw new Error(
        `Custody of tool ${tool.id} was with ${closed.map((c) => c.member_id).join(", ") || "nobody"}, not with the giver ${handOff.fromMemberId}.`,
      );
    }
    await manager.getRepository(CustodyRow).insert({
      id: randomUUID(),
      circleId: tool.circleId,
      toolId: tool.id,
      memberId: handOff.toMemberId,
      heldFrom: now,
      heldUntil: null,
      handOffId: handOff.id,
    });

    const loans = manager.getRepository(LoanRow);
    let loanEnded: LoanRow | undefined;
    if (tool.openLoanId) {
      loanEnded = await loans.findOneByOrFail({ id: tool.openLoanId });
      if (loanEnded.returnedAt || loanEnded.borrowerMemberId !== handOff.fromMemberId)
        throw new Error(`Tool ${tool.id} names open loan ${loanEnded.id}, which is not the giver's open loan.`);
      loanEnded.returnedAt = now;
      await loans.save(loanEnded);
      await emitEvent(
        manager,
        "loan.completed",
        {
          circleId: tool.circleId,
          loanId: loanEnded.id,
          toolId: tool.id,
          cycle: cycleContaining(now).label,
          memberIds: [loanEnded.hostMemberId, loanEnded.borrowerMemberId],
        },
        now,
      );
    }
    let loanStarted: LoanRow | undefined;
    if (handOff.toMemberId !== tool.hostMemberId) {
      loanStarted = Object.assign(new LoanRow(), {
        id: randomUUID(),
        circleId: tool.circleId,
        toolId: tool.id,
        borrowerMemberId: handOff.toMemberId,
        hostMemberId: tool.hostMemberId,
        startedAt: now,
        startedCycle: cycleContaining(now).label,
        dueAt: dueAtAfter(now, await loanDaysFor(manager, tool.circleId, tool.category)),
        renewals: 0,
        locationCell: tool.locationCell,
        returnedAt: null,
      });
      await loans.insert(loanStarted);
    }
    const fulfilled = await updateReturning<{ id: string }>(
      manager,
      `UPDATE reservations SET status = 'FULFILLED', closed_at = $3 WHERE tool_id = $1 AND member_id = $2 AND status = 'WAITING' RETURNING id`,
      [tool.id, handOff.toMemberId, now],
    );
    await manager.query(
      `UPDATE tools SET holder_member_id = $2, open_loan_id = $3, waiting_count = waiting_count - $4, updated_at = $5 WHERE id = $1`,
      [tool.id, handOff.toMemberId, loanStarted?.id ?? null, fulfilled.length, now],
    );
    await tellReservationsClosed(
      manager,
      tool.circleId,
      fulfilled.map((reservation) => reservation.id),
      now,
    );
    const { reminderIntervalHours } = await librarySettingsOf(manager, tool.circleId);
    return { handOff, loanEnded, loanStarted, reminderIntervalHours };
  });
}

/** The proposer withdraws a pending hand-off (CANCELLED), or the other party turns it down (DECLINED). */
export async function declineHandOff(
  db: DataSource,
  handOffId: string,
  caller: Caller,
  now: Date,
): Promise<HandOffRow> {
  return db.transaction(async (manager) => {
    const { handOff, memberId } = await lockPendingHandOff(manager, handOffId, caller);
    Object.assign(handOff, {
      status: handOff.proposedByMemberId === memberId ? "CANCELLED" : "DECLINED",
      decidedAt: now,
    });
    await manager.getRepository(HandOffRow).save(handOff);
    return handOff;
  });
}

export function handOffsByIds(db: DataSource, ids: string[]): Promise<HandOffRow[]> {
  return db.getRepository(HandOffRow).findBy({ id: In(ids) });
}

export function pendingHandOffsOf(db: DataSource, toolIds: string[]): Promise<HandOffRow[]> {
  return db.getRepository(HandOffRow).findBy({ toolId: In(toolIds), status: "PROPOSED" });
}

/** A tool's chain of custody, newest first. */
export function custodyOf(
  db: DataSource,
  toolId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<CustodyRow[]> {
  const select = db
    .getRepository(CustodyRow)
    .createQueryBuilder("c")
    .where("c.tool_id = :toolId", { toolId })
    .orderBy("c.held_from", "DESC")
    .addOrderBy("c.id", "DESC")
    .limit(limit);
  if (after) select.andWhere("(c.held_from, c.id) < (:at, :id)", after);
  return select.getMany();
}

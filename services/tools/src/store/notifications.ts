import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { cycleContaining, type InstantCursor } from "@rhizome/kit";
import type { ReminderStage } from "../domain/loans.js";
import { LoanRow } from "../entities/loan.js";
import { NotificationRow, type NotificationKind } from "../entities/notification.js";
import { caretakersOf } from "./caretakers.js";

const KIND_OF_STAGE: Record<ReminderStage["stage"], NotificationKind> = { 1: "LOAN_OVERDUE", 2: "LOAN_STILL_OVERDUE", 3: "CARETAKERS_LOAN_OVERDUE" };

export type ReminderOutcome = "sent" | "already sent" | "loan ended" | "loan renewed" | "nobody to tell";

/**
 * Writes one stage of an overdue loan's reminders into the inboxes it goes to, unless the tool came
 * back or the loan was renewed since it was scheduled. The unique key (loan, due date, stage,
 * member) makes a job that runs twice deliver once.
 */
export async function deliverReminder(db: DataSource, loanId: string, dueAt: Date, stage: ReminderStage["stage"], now: Date): Promise<ReminderOutcome> {
  return db.transaction(async (manager) => {
    const loan = await manager.getRepository(LoanRow).findOneBy({ id: loanId });
    if (!loan || loan.returnedAt) return "loan ended";
    if (loan.dueAt.getTime() !== dueAt.getTime()) return "loan renewed";
    const recipients = stage === 3 ? (await caretakersOf(manager, loan.circleId, cycleContaining(now).label)).filter((id) => id !== loan.borrowerMemberId) : [loan.borrowerMemberId];
    if (recipients.length === 0) return "nobody to tell";
    let inserted = 0;
    for (const memberId of recipients) {
      const rows: unknown[] = await manager.query(
        `INSERT INTO notifications (id, circle_id, member_id, kind, tool_id, loan_id, due_at, dedupe_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [randomUUID(), loan.circleId, memberId, KIND_OF_STAGE[stage], loan.toolId, loan.id, loan.dueAt, `${loan.id}:${loan.dueAt.toISOString()}:${stage}:${memberId}`, now],
      );
      inserted += rows.length;
    }
    return inserted > 0 ? "sent" : "already sent";
  });
}

/** A member's own inbox, newest first. */
export function inboxOf(db: DataSource, circleId: string, memberId: string, after: InstantCursor | undefined, limit: number): Promise<NotificationRow[]> {
  const select = db
    .getRepository(NotificationRow)
    .createQueryBuilder("n")
    .where("n.circle_id = :circleId AND n.member_id = :memberId", { circleId, memberId })
    .orderBy("n.created_at", "DESC")
    .addOrderBy("n.id", "DESC")
    .limit(limit);
  if (after) select.andWhere("(n.created_at, n.id) < (:at, :id)", after);
  return select.getMany();
}

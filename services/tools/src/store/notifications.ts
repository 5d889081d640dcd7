import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { cycleContaining, type InstantCursor } from "@rhizome/kit";
import { DEFAULT_REMINDER_INTERVAL_HOURS, remindersMissing, type ReminderStage } from "../domain/loans.js";
import { LoanRow } from "../entities/loan.js";
import { NotificationRow, type NotificationKind } from "../entities/notification.js";
import { caretakersOf } from "./caretakers.js";

const KIND_OF_STAGE: Record<ReminderStage["stage"], NotificationKind> = {
  1: "LOAN_OVERDUE",
  2: "LOAN_STILL_OVERDUE",
  3: "CARETAKERS_LOAN_OVERDUE",
};
const STAGE_OF_KIND = Object.fromEntries(
  Object.entries(KIND_OF_STAGE).map(([stage, kind]) => [kind, Number(stage)]),
) as Record<NotificationKind, ReminderStage["stage"]>;

/** Overdue loans the sweep reads per transaction. */
export const REMINDER_SWEEP_BATCH = 500;

export type ReminderOutcome = "sent" | "already sent" | "loan ended" | "loan renewed" | "nobody to tell";

/**
 * Writes one stage of an overdue loan's reminders into the inboxes it goes to, unless the tool came
 * back or the loan was renewed since it was scheduled. Once per loan, due date and stage, however
 * often it runs and whoever runs it (its delayed job, the sweep): the loan's row is locked while
 * it checks that the stage went to nobody yet, and the unique key (loan, due date, stage, member)
 * keeps a member from getting it twice.
 */
export async function deliverReminder(
  db: DataSource,
  loanId: string,
  dueAt: Date,
  stage: ReminderStage["stage"],
  now: Date,
): Promise<ReminderOutcome> {
  return db.transaction(async (manager) => {
    const loan = await manager
      .getRepository(LoanRow)
      .findOne({ where: { id: loanId }, lock: { mode: "pessimistic_write" } });
    if (!loan || loan.returnedAt) return "loan ended";
    if (loan.dueAt.getTime() !== dueAt.getTime()) return "loan renewed";
    const sent: unknown[] = await manager.query(
      `SELECT 1 FROM notifications WHERE loan_id = $1 AND due_at = $2 AND kind = $3 LIMIT 1`,
      [loan.id, loan.dueAt, KIND_OF_STAGE[stage]],
    );
    if (sent.length > 0) return "already sent";
    const recipients =
      stage === 3
        ? (await caretakersOf(manager, loan.circleId, cycleContaining(now).label)).filter(
            (id) => id !== loan.borrowerMemberId,
          )
        : [loan.borrowerMemberId];
    if (recipients.length === 0) return "nobody to tell";
    let inserted = 0;
    for (const memberId of recipients) {
      const rows: unknown[] = await manager.query(
        `INSERT INTO notifications (id, circle_id, member_id, kind, tool_id, loan_id, due_at, dedupe_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          randomUUID(),
          loan.circleId,
          memberId,
          KIND_OF_STAGE[stage],
          loan.toolId,
          loan.id,
          loan.dueAt,
          `${loan.id}:${loan.dueAt.toISOString()}:${stage}:${memberId}`,
          now,
        ],
      );
      inserted += rows.length;
    }
    return inserted > 0 ? "sent" : "already sent";
  });
}

/**
 * Tells each member whose reservation closed because its tool was retired, in their inbox, once per
 * reservation. Runs in the transaction that retires the tool.
 */
export async function tellToolRetired(
  manager: EntityManager,
  tool: { id: string; circleId: string },
  reservations: ReadonlyArray<{ id: string; memberId: string }>,
  now: Date,
): Promise<void> {
  for (const reservation of reservations)
    await manager.query(
      `INSERT INTO notifications (id, circle_id, member_id, kind, tool_id, loan_id, due_at, dedupe_key, created_at)
       VALUES ($1, $2, $3, 'TOOL_RETIRED', $4, NULL, NULL, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
      [randomUUID(), tool.circleId, reservation.memberId, tool.id, `retired:${reservation.id}`, now],
    );
}

export interface ReminderSweepOutcome {
  loansChecked: number;
  remindersSent: number;
}

/**
 * Sends every overdue reminder whose instant has come and that went to nobody, for the loans whose
 * delayed jobs Redis lost or never got. Reads open overdue loans in batches by due date with the
 * stages each already got; each missing stage goes through deliverReminder, so a delayed job that
 * runs as well delivers nothing more.
 */
export async function sweepOverdueReminders(db: DataSource, now: Date): Promise<ReminderSweepOutcome> {
  const outcome: ReminderSweepOutcome = { loansChecked: 0, remindersSent: 0 };
  let after: { dueAt: Date; id: string } | undefined;
  for (;;) {
    const loans: Array<{ id: string; due_at: Date; interval_hours: number; sent: NotificationKind[] }> = await db.query(
      `SELECT l.id, l.due_at, COALESCE(s.reminder_interval_hours, $2) AS interval_hours,
         ARRAY(SELECT DISTINCT n.kind FROM notifications n WHERE n.loan_id = l.id AND n.due_at = l.due_at) AS sent
       FROM loans l LEFT JOIN library_settings s ON s.circle_id = l.circle_id
       WHERE l.returned_at IS NULL AND l.due_at <= $1
         AND ($3::timestamptz IS NULL OR (l.due_at, l.id) > ($3, $4::uuid))
         -- A loan that got all three stages has nothing left to send: the check runs often, so skip it.
         AND (SELECT count(DISTINCT n.kind) FROM notifications n WHERE n.loan_id = l.id AND n.due_at = l.due_at) < 3
       ORDER BY l.due_at, l.id LIMIT $5`,
      [now, DEFAULT_REMINDER_INTERVAL_HOURS, after?.dueAt ?? null, after?.id ?? null, REMINDER_SWEEP_BATCH],
    );
    for (const loan of loans) {
      const missing = remindersMissing(
        loan.due_at,
        loan.interval_hours,
        loan.sent.map((kind) => STAGE_OF_KIND[kind]),
        now,
      );
      for (const stage of missing) {
        if ((await deliverReminder(db, loan.id, loan.due_at, stage, now)) === "sent") outcome.remindersSent++;
      }
    }
    outcome.loansChecked += loans.length;
    if (loans.length < REMINDER_SWEEP_BATCH) return outcome;
    const last = loans[loans.length - 1];
    after = { dueAt: last.due_at, id: last.id };
  }
}

/** A member's own inbox, newest first. */
export function inboxOf(
  db: DataSource,
  circleId: string,
  memberId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<NotificationRow[]> {
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

type Queryable = Pick<DataSource, "query">;

/** How many notifications of a member's inbox came after the instant they read up to (all of them if they never marked any). */
export async function unreadCountOf(db: Queryable, circleId: string, memberId: string): Promise<number> {
  const [row]: Array<{ unread: number }> = await db.query(
    `SELECT count(*)::int AS unread FROM notifications n
     WHERE n.circle_id = $1 AND n.member_id = $2
       AND n.created_at > COALESCE((SELECT read_up_to FROM inbox_read_marks WHERE member_id = $2), '-infinity')`,
    [circleId, memberId],
  );
  return row.unread;
}

/** The instant a member has read their inbox up to, if they ever marked it. */
export async function readUpToOf(db: Queryable, memberId: string): Promise<Date | undefined> {
  const [row]: Array<{ read_up_to: Date }> = await db.query(
    `SELECT read_up_to FROM inbox_read_marks WHERE member_id = $1`,
    [memberId],
  );
  return row?.read_up_to;
}

/** Moves a member's read mark forward to `upTo` (never back: marking an older instant changes nothing). */
export async function markReadUpTo(db: Queryable, circleId: string, memberId: string, upTo: Date): Promise<void> {
  await db.query(
    `INSERT INTO inbox_read_marks (member_id, circle_id, read_up_to) VALUES ($1, $2, $3)
     ON CONFLICT (member_id) DO UPDATE SET read_up_to = GREATEST(inbox_read_marks.read_up_to, EXCLUDED.read_up_to)`,
    [memberId, circleId, upTo],
  );
}

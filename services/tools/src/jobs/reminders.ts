import type { DataSource } from "typeorm";
import { cycleContaining, type Logger, type Queue, type QueueJob } from "@rhizome/kit";
import type { NotificationKind } from "../domain/inbox.js";
import {
  DEFAULT_REMINDER_INTERVAL_HOURS,
  reminderStages,
  remindersMissing,
  type ReminderStage,
} from "../domain/loans.js";
import type { ToolsConfig } from "../config.js";
import { caretakersOf } from "../store/caretakers.js";
import { lockLoan } from "../store/loans.js";
import { notify, overdueLoans, reminderSent } from "../store/notifications.js";

export const REMINDERS_PURPOSE = "reminders";
export const REMINDERS_QUEUE = `tools.${REMINDERS_PURPOSE}`;

interface ReminderData {
  loanId: string;
  dueAt: string;
  stage: ReminderStage["stage"];
  at: string;
}

/** One id per loan, due date and stage: scheduling twice adds one job, and a renewal's new due date new ones. */
export const reminderJobId = (loanId: string, dueAt: Date, stage: number) =>
  `loan-${loanId}-due-${dueAt.getTime()}-stage-${stage}`;

export class ReminderNotDueYet extends Error {
  override name = "ReminderNotDueYet";
}

export interface LoanDue {
  id: string;
  dueAt: Date;
}

/**
 * Schedules an open loan's overdue reminders as delayed jobs. A job is stamped with `now` from the
 * service's clock, so BullMQ runs it at the reminder's own instant (timestamp + delay).
 */
export async function scheduleLoanReminders(
  queue: Queue,
  loan: LoanDue,
  intervalHours: number,
  now: Date,
): Promise<void> {
  await queue.addBulk(
    reminderStages(loan.dueAt, intervalHours).map((stage) => ({
      name: "reminder",
      data: {
        loanId: loan.id,
        dueAt: loan.dueAt.toISOString(),
        stage: stage.stage,
        at: stage.at.toISOString(),
      } satisfies ReminderData,
      opts: {
        jobId: reminderJobId(loan.id, loan.dueAt, stage.stage),
        delay: Math.max(0, stage.at.getTime() - now.getTime()),
        timestamp: now.getTime(),
      },
    })),
  );
}

/** Removes the reminders of a loan that ended or was renewed; a job already running finds the loan changed and sends nothing. */
export async function cancelLoanReminders(queue: Queue, loan: LoanDue): Promise<void> {
  for (const stage of [1, 2, 3]) await queue.remove(reminderJobId(loan.id, loan.dueAt, stage));
}

export interface LoanReminderChanges {
  ended?: LoanDue[];
  started?: LoanDue[];
  intervalHours: number;
}

/**
 * Runs after the transaction that changed the loans committed. Redis is not part of that
 * transaction: when it cannot be reached the change stands, and the failure is logged.
 */
export async function applyLoanReminderChanges(
  queue: Queue,
  changes: LoanReminderChanges,
  now: Date,
  logger: Pick<Logger, "warn">,
): Promise<void> {
  try {
    for (const loan of changes.ended ?? []) await cancelLoanReminders(queue, loan);
    for (const loan of changes.started ?? []) await scheduleLoanReminders(queue, loan, changes.intervalHours, now);
  } catch (error) {
    logger.warn({ err: error }, "could not update loan reminders in the queue");
  }
}

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
  return db.transaction(async (tx) => {
    const loan = await lockLoan(tx, loanId);
    if (!loan || loan.returnedAt) return "loan ended";
    if (loan.dueAt.getTime() !== dueAt.getTime()) return "loan renewed";
    const kind = KIND_OF_STAGE[stage];
    if (await reminderSent(tx, loan.id, loan.dueAt, kind)) return "already sent";
    const recipients =
      stage === 3
        ? (await caretakersOf(tx, loan.circleId, cycleContaining(now).label)).filter(
            (id) => id !== loan.borrowerMemberId,
          )
        : [loan.borrowerMemberId];
    if (recipients.length === 0) return "nobody to tell";
    let inserted = 0;
    for (const memberId of recipients) {
      const dedupeKey = `${loan.id}:${loan.dueAt.toISOString()}:${stage}:${memberId}`;
      const notice = {
        circleId: loan.circleId,
        memberId,
        kind,
        toolId: loan.toolId,
        loanId: loan.id,
        dueAt: loan.dueAt,
        dedupeKey,
      };
      if (await notify(tx, notice, now)) inserted++;
    }
    return inserted > 0 ? "sent" : "already sent";
  });
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
    const loans = await overdueLoans(db, now, DEFAULT_REMINDER_INTERVAL_HOURS, after, REMINDER_SWEEP_BATCH);
    for (const loan of loans) {
      const sentStages = loan.sent.map((kind) => STAGE_OF_KIND[kind]);
      for (const stage of remindersMissing(loan.dueAt, loan.intervalHours, sentStages, now)) {
        if ((await deliverReminder(db, loan.id, loan.dueAt, stage, now)) === "sent") outcome.remindersSent++;
      }
    }
    outcome.loansChecked += loans.length;
    if (loans.length < REMINDER_SWEEP_BATCH) return outcome;
    const last = loans[loans.length - 1];
    after = { dueAt: last.dueAt, id: last.id };
  }
}

export const reminderJob: QueueJob<ToolsConfig> = {
  purpose: REMINDERS_PURPOSE,
  async process(job, runtime) {
    const data = job.data as ReminderData;
    const now = runtime.clock();
    // Retried with backoff when the queue runs it before the service's clock reaches it.
    if (now.getTime() < new Date(data.at).getTime())
      throw new ReminderNotDueYet(`reminder ${job.id} is due at ${data.at}, not ${now.toISOString()}`);
    return deliverReminder(runtime.db, data.loanId, new Date(data.dueAt), data.stage, now);
  },
};

export const REMINDER_SWEEP_PURPOSE = "reminder-sweep";
export const REMINDER_SWEEP_QUEUE = `tools.${REMINDER_SWEEP_PURPOSE}`;

/**
 * Sends every overdue reminder whose instant the hub's clock has reached and that went to nobody.
 * The delayed jobs above wait for the machine's clock; this check reads the service's clock, as the
 * kit's cycle schedules do, so a reminder follows the hub's clock (a test's, or a moved one) and
 * still arrives when Redis lost its delayed job, at most REMINDER_CHECK_INTERVAL_MS late. Once each,
 * with or without the delayed job: see deliverReminder.
 */
export const reminderSweepJob: QueueJob<ToolsConfig> = {
  purpose: REMINDER_SWEEP_PURPOSE,
  concurrency: 1,
  everyMs: (config) => config.REMINDER_CHECK_INTERVAL_MS,
  process: (_job, runtime) => sweepOverdueReminders(runtime.db, runtime.clock()),
};

import type { Logger, Queue, QueueJob } from "@rhizome/kit";
import { reminderStages, type ReminderStage } from "../domain/loans.js";
import type { ToolsConfig } from "../config.js";
import { deliverReminder, sweepOverdueReminders } from "../store/notifications.js";

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

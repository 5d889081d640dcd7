import { defineAction } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { renewal } from "../domain/loans.js";
import { applyLoanReminderChanges } from "../jobs/reminders.js";
import { loanById, renewLoanRow, type LoanRow } from "../store/loans.js";
import { librarySettingsOf, loanDaysFor } from "../store/settings.js";
import { lockToolOf, NO_SUCH_LOAN, requireYours, type ToolsStep } from "./access.js";

const renewInTransaction = defineAction({
  authorize: async (step: ToolsStep, input: { loanId: string }) => {
    const { row } = await requireYours(
      step.caller,
      input.loanId,
      (id) => loanById(step.tx, id),
      NO_SUCH_LOAN,
      (loan, memberId) => loan.borrowerMemberId === memberId,
    );
    const tool = await lockToolOf(step, row.toolId);
    // Read again under the tool's lock: a hand-off may have ended it meanwhile.
    const loan = (await loanById(step.tx, row.id))!;
    const loanDays = await loanDaysFor(step.tx, tool.circleId, tool.category);
    const { reminderIntervalHours } = await librarySettingsOf(step.tx, tool.circleId);
    return { loan, waitingCount: tool.waitingCount, loanDays, reminderIntervalHours };
  },
  decide: (input, { loan, waitingCount, loanDays }, now) => renewal(loan, waitingCount, loanDays, now),
  apply: async ({ tx, now }, { dueAt }, { loan, reminderIntervalHours }) => ({
    loan: await renewLoanRow(tx, loan.id, dueAt),
    previousDueAt: loan.dueAt,
    reminderIntervalHours,
    now,
  }),
});

/**
 * The borrower keeps the tool one more loan period; only while nobody waits for it. One action in
 * two steps: the loan changes in its transaction, then its reminders move in Redis, which is no
 * part of that transaction (a failure there is logged; the sweep sends what a lost job would have).
 */
export async function renewLoan(context: ToolsContext, input: { loanId: string }): Promise<LoanRow> {
  const renewed = await renewInTransaction(context, input);
  await applyLoanReminderChanges(
    context.reminders,
    {
      ended: [{ id: renewed.loan.id, dueAt: renewed.previousDueAt }],
      started: [renewed.loan],
      intervalHours: renewed.reminderIntervalHours,
    },
    renewed.now,
    context.logger,
  );
  return renewed.loan;
}

import { In, type DataSource } from "typeorm";
import { conflict, isUuid, membershipIn, notFound, type Caller } from "@rhizome/kit";
import { renewalProblem, renewedDueAt } from "../domain/loans.js";
import { LoanRow } from "../entities/loan.js";
import { lockTool } from "./catalogue.js";
import { librarySettingsOf, loanDaysFor } from "./settings.js";

export const NO_SUCH_LOAN = "No loan with that id among yours.";

export interface RenewedLoan {
  loan: LoanRow;
  previousDueAt: Date;
  reminderIntervalHours: number;
}

/** The borrower keeps the tool one more loan period; only while nobody waits for it. */
export async function renewLoan(db: DataSource, loanId: string, caller: Caller, now: Date): Promise<RenewedLoan> {
  return db.transaction(async (manager) => {
    const found = isUuid(loanId) ? await manager.getRepository(LoanRow).findOneBy({ id: loanId }) : null;
    const membership = found && membershipIn(caller, found.circleId);
    if (!found || !membership || found.borrowerMemberId !== membership.memberId) throw notFound(NO_SUCH_LOAN);
    const { tool } = await lockTool(manager, found.toolId, caller);
    const loan = await manager.getRepository(LoanRow).findOneByOrFail({ id: loanId });
    const problem = renewalProblem(loan, tool.waitingCount);
    if (problem) throw conflict(problem);
    const previousDueAt = loan.dueAt;
    Object.assign(loan, {
      dueAt: renewedDueAt(loan.dueAt, now, await loanDaysFor(manager, tool.circleId, tool.category)),
      renewals: loan.renewals + 1,
    });
    await manager.getRepository(LoanRow).save(loan);
    const { reminderIntervalHours } = await librarySettingsOf(manager, tool.circleId);
    return { loan, previousDueAt, reminderIntervalHours };
  });
}

export function loansByIds(db: DataSource, ids: string[]): Promise<LoanRow[]> {
  return db.getRepository(LoanRow).findBy({ id: In(ids) });
}

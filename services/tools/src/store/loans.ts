import { randomUUID } from "node:crypto";
import { emitEvent, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";

/** A tool away from its host: from the hand-off that started it to the one that ended it. */
export interface LoanRow {
  id: string;
  circleId: string;
  toolId: string;
  borrowerMemberId: string;
  hostMemberId: string;
  startedAt: Date;
  /** The cycle it started in, fixed for the loan map. */
  startedCycle: string;
  dueAt: Date;
  renewals: number;
  /** The tool's place when it was lent, fixed for the loan map. */
  locationCell: string | null;
  returnedAt: Date | null;
}

const LOAN = `id, circle_id, tool_id, borrower_member_id, host_member_id, started_at, started_cycle, due_at, renewals,
  location_cell, returned_at`;

export function loanById(db: Queryable, id: string): Promise<LoanRow | undefined> {
  return sqlRow<LoanRow>(db, `SELECT ${LOAN} FROM loans WHERE id = $1`, [id]);
}

export function lockLoan(tx: Queryable, id: string): Promise<LoanRow | undefined> {
  return sqlRow<LoanRow>(tx, `SELECT ${LOAN} FROM loans WHERE id = $1 FOR UPDATE`, [id]);
}

export function loansByIds(db: Queryable, ids: string[]): Promise<LoanRow[]> {
  return sqlRows<LoanRow>(db, `SELECT ${LOAN} FROM loans WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function renewLoanRow(tx: Queryable, id: string, dueAt: Date): Promise<LoanRow> {
  const row = await sqlRow<LoanRow>(
    tx,
    `UPDATE loans SET due_at = $2, renewals = renewals + 1 WHERE id = $1 RETURNING ${LOAN}`,
    [id, dueAt],
  );
  return row!;
}

export type NewLoan = Omit<LoanRow, "id" | "renewals" | "returnedAt">;

export async function insertLoan(tx: Queryable, loan: NewLoan): Promise<LoanRow> {
  const row = await sqlRow<LoanRow>(
    tx,
    `INSERT INTO loans (id, circle_id, tool_id, borrower_member_id, host_member_id, started_at, started_cycle, due_at, renewals, location_cell)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING ${LOAN}`,
    [
      randomUUID(),
      loan.circleId,
      loan.toolId,
      loan.borrowerMemberId,
      loan.hostMemberId,
      loan.startedAt,
      loan.startedCycle,
      loan.dueAt,
      loan.locationCell,
    ],
  );
  return row!;
}

/**
 * Ends the giver's open loan of the tool and announces it as loan.completed (a purchase avoided, for
 * the sovereignty ledger) in the same transaction. The loan must be the giver's, and open.
 */
export async function endLoan(
  tx: Queryable,
  loanId: string,
  giverMemberId: string,
  cycle: string,
  now: Date,
): Promise<LoanRow> {
  const loan = await sqlRow<LoanRow>(
    tx,
    `UPDATE loans SET returned_at = $3 WHERE id = $1 AND borrower_member_id = $2 AND returned_at IS NULL RETURNING ${LOAN}`,
    [loanId, giverMemberId, now],
  );
  if (!loan) throw new Error(`Loan ${loanId}, named open by its tool, is not the giver's open loan.`);
  await emitEvent(
    tx,
    "loan.completed",
    {
      circleId: loan.circleId,
      loanId: loan.id,
      toolId: loan.toolId,
      cycle,
      memberIds: [loan.hostMemberId, loan.borrowerMemberId],
    },
    now,
  );
  return loan;
}

import type { DataSource } from "typeorm";
import type { LoanCellCount } from "../domain/loan-map.js";

/** Loans started in the cycle, per cell cut to `precision` characters, with the distinct members behind them. */
export async function loanCellCounts(db: DataSource, circleId: string, cycle: string, precision: number): Promise<LoanCellCount[]> {
  const rows: Array<{ cell: string; loans: number; members: number }> = await db.query(
    `SELECT left(l.location_cell, $3) AS cell, count(DISTINCT l.id)::int AS loans, count(DISTINCT m.member_id)::int AS members
     FROM loans l CROSS JOIN LATERAL unnest(ARRAY[l.borrower_member_id, l.host_member_id]) AS m(member_id)
     WHERE l.circle_id = $1 AND l.started_cycle = $2 AND l.location_cell IS NOT NULL
     GROUP BY 1`,
    [circleId, cycle, precision],
  );
  return rows;
}

import { sqlRows, type Queryable } from "@rhizome/kit";
import type { LoanCellCount } from "../domain/loan-map.js";

/**
 * Loans started in the cycle, per cell cut to `precision` characters, with the distinct hosts and
 * borrowers behind them. A loan's cycle and cell are set when it starts and never change, so a
 * closed cycle counts the same however often it is read.
 */
export function loanCellCounts(
  db: Queryable,
  circleId: string,
  cycle: string,
  precision: number,
): Promise<LoanCellCount[]> {
  return sqlRows<LoanCellCount>(
    db,
    `SELECT left(l.location_cell, $3) AS cell, count(*)::int AS loans,
            array_agg(DISTINCT l.host_member_id::text) AS host_ids, array_agg(DISTINCT l.borrower_member_id::text) AS borrower_ids
     FROM loans l
     WHERE l.circle_id = $1 AND l.started_cycle = $2 AND l.location_cell IS NOT NULL
     GROUP BY 1`,
    [circleId, cycle, precision],
  );
}

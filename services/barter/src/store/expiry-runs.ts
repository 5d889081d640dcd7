import type { DataSource, EntityManager } from "typeorm";

/** What one completed expiry did, as the organizer's view shows it. */
export interface CompletedExpiryRun {
  circleId: string;
  cycle: string;
  finishedAt: Date;
  accountsExpired: number;
  creditsExpiredMinutes: number;
  debtsAnnulledMinutes: number;
}

/** Each circle's last completed expiry, for many circles in one query (the per-request `lastExpiryRuns` loader). */
export async function lastExpiryRunsOf(
  db: DataSource | EntityManager,
  circleIds: readonly string[],
): Promise<CompletedExpiryRun[]> {
  const rows: Array<{
    circle_id: string;
    cycle: string;
    finished_at: Date;
    accounts_expired: number | null;
    credits_expired_minutes: number | null;
    debts_annulled_minutes: number | null;
  }> = await db.query(
    `SELECT DISTINCT ON (circle_id) circle_id, cycle, finished_at, accounts_expired, credits_expired_minutes, debts_annulled_minutes
       FROM expiry_runs WHERE circle_id = ANY($1::uuid[]) AND finished_at IS NOT NULL
       ORDER BY circle_id, cycle DESC`,
    [circleIds],
  );
  return rows.map((row) => ({
    circleId: row.circle_id,
    cycle: row.cycle,
    finishedAt: row.finished_at,
    accountsExpired: row.accounts_expired ?? 0,
    creditsExpiredMinutes: row.credits_expired_minutes ?? 0,
    debtsAnnulledMinutes: row.debts_annulled_minutes ?? 0,
  }));
}

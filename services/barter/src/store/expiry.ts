import type { DataSource, EntityManager } from "typeorm";
import { cycleByLabelOrThrow } from "@rhizome/kit";
import { EXPIRY_BATCH_SIZE, expiryTransfers } from "../domain/expiry.js";
import { assertAccountsMatchEntries, postTransfers } from "./transfers.js";
import { recordCycleFigures } from "./cycle-figures.js";

export interface ExpiryTotals {
  accountsExpired: number;
  accountsWithCreditsExpired: number;
  accountsWithDebtsAnnulled: number;
  creditsExpiredMinutes: number;
  debtsAnnulledMinutes: number;
}

export interface ExpiryOutcome extends ExpiryTotals {
  circleId: string;
  cycle: string;
  finishedAt: Date;
  /** True when an earlier run had already completed this expiry; nothing was written. */
  wasAlreadyComplete: boolean;
}

export interface ExpiryOptions {
  /** The instant the expiry runs at; it must be at or after the cycle's end. */
  now: Date;
  batchSize?: number;
  /** Called after each committed batch; a test throws here to simulate a crash halfway. */
  afterBatch?: (batch: { index: number; accountIds: string[] }) => void | Promise<void>;
}

export class ExpiryError extends Error {
  override name = "ExpiryError";
}


/**
 * Returns every member balance of the circle to zero for the cycle that ended: what each account
 * accrued in entries labelled with this cycle or earlier, and not yet expired, moves to the
 * commons as CREDITS_EXPIRED (positive balances) or DEBTS_ANNULLED (negative ones). Entries of
 * the next cycle written before this runs are left alone. Pending proposals of the cycle expire.
 *
 * Exactly once by construction: a unique index on (expired account, cycle) means a rerun, or a
 * run resumed after dying halfway, writes nothing twice; `expiry_runs.finished_at` marks the end.
 * Each batch locks its accounts in id order, as confirmations do, then the commons account.
 */
export async function expireCircleCycle(db: DataSource, circleId: string, cycleLabel: string, options: ExpiryOptions): Promise<ExpiryOutcome> {
  const cycle = cycleByLabelOrThrow(cycleLabel);
  const now = options.now;
  if (now.getTime() < cycle.endsAt.getTime()) {
    throw new ExpiryError(`Cycle ${cycle.label} ends at ${cycle.endsAt.toISOString()}; it cannot expire at ${now.toISOString()}.`);
  }
  const batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
  const commons: Array<{ id: string }> = await db.query(`SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'COMMONS'`, [circleId]);
  if (commons.length === 0) throw new ExpiryError(`Barter has no accounts in circle ${circleId}.`);
  const commonsAccountId = commons[0].id;

  await db.query(`INSERT INTO expiry_runs (circle_id, cycle, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [circleId, cycle.label, now]);
  const completed = await completedRun(db.manager, circleId, cycle.label);
  if (completed) return { ...completed, wasAlreadyComplete: true };

  let afterAccountId = "00000000-0000-0000-0000-000000000000";
  for (let index = 0; ; index++) {
    const accountIds = await db.transaction((manager) => expireBatch(manager, { circleId, cycle: cycle.label, commonsAccountId, afterAccountId, batchSize, now }));
    if (accountIds.length === 0) break;
    afterAccountId = accountIds[accountIds.length - 1];
    await options.afterBatch?.({ index, accountIds });
    if (accountIds.length < batchSize) break;
  }

  return db.transaction(async (manager) => {
    await manager.query(
      `UPDATE exchanges SET status = 'EXPIRED', decided_at = $3 WHERE circle_id = $1 AND status = 'PENDING' AND proposed_cycle <= $2`,
      [circleId, cycle.label, now],
    );
    const totals = await expiryTotals(manager, circleId, cycle.label);
    await manager.query(
      `UPDATE expiry_runs SET finished_at = $3, accounts_expired = $4, accounts_with_credits_expired = $5, accounts_with_debts_annulled = $6,
         credits_expired_minutes = $7, debts_annulled_minutes = $8
       WHERE circle_id = $1 AND cycle = $2 AND finished_at IS NULL`,
      [circleId, cycle.label, now, totals.accountsExpired, totals.accountsWithCreditsExpired, totals.accountsWithDebtsAnnulled, totals.creditsExpiredMinutes, totals.debtsAnnulledMinutes],
    );
    const finished = await completedRun(manager, circleId, cycle.label);
    if (!finished) throw new Error(`Expiry of ${circleId} for ${cycle.label} did not record its completion.`);
    await recordCycleFigures(manager, circleId, cycle, now);
    return { ...finished, wasAlreadyComplete: false };
  });
}

async function expireBatch(
  manager: EntityManager,
  batch: { circleId: string; cycle: string; commonsAccountId: string; afterAccountId: string; batchSize: number; now: Date },
): Promise<string[]> {
  const locked: Array<{ id: string }> = await manager.query(
    `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER' AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`,
    [batch.circleId, batch.afterAccountId, batch.batchSize],
  );
  const accountIds = locked.map((row) => row.id);
  if (accountIds.length === 0) return accountIds;
  // Read after the locks, so a confirmation that committed meanwhile is counted.
  const due: Array<{ id: string; due_minutes: string; is_expired_later: boolean }> = await manager.query(
    `SELECT a.id,
       COALESCE((SELECT sum(e.amount_minutes) FROM entries e WHERE e.account_id = a.id AND e.cycle <= $2), 0) AS due_minutes,
       EXISTS (SELECT 1 FROM transfers t WHERE t.expired_account_id = a.id AND t.cycle > $2) AS is_expired_later
     FROM unnest($1::uuid[]) AS a(id)`,
    [accountIds, batch.cycle],
  );
  // A later cycle's expiry already swept everything up to it; expiring this one now would double it.
  const transfers = expiryTransfers(
    due.filter((row) => !row.is_expired_later).map((row) => ({ accountId: row.id, dueMinutes: Number(row.due_minutes) })),
    batch.commonsAccountId,
  ).map((transfer) => ({ ...transfer, cycle: batch.cycle }));
  if (transfers.length > 0) {
    await manager.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE`, [batch.commonsAccountId]);
    const posted = await postTransfers(manager, batch.circleId, transfers, batch.now);
    await assertAccountsMatchEntries(manager, [...posted.map((t) => t.expiredAccountId!), batch.commonsAccountId]);
  }
  return accountIds;
}

async function expiryTotals(manager: EntityManager, circleId: string, cycle: string): Promise<ExpiryTotals> {
  const [row]: Array<Record<string, string>> = await manager.query(
    `SELECT count(*) AS accounts_expired,
       count(*) FILTER (WHERE t.kind = 'CREDITS_EXPIRED') AS accounts_with_credits_expired,
       count(*) FILTER (WHERE t.kind = 'DEBTS_ANNULLED') AS accounts_with_debts_annulled,
       COALESCE(-sum(e.amount_minutes) FILTER (WHERE t.kind = 'CREDITS_EXPIRED'), 0) AS credits_expired_minutes,
       COALESCE(sum(e.amount_minutes) FILTER (WHERE t.kind = 'DEBTS_ANNULLED'), 0) AS debts_annulled_minutes
     FROM transfers t JOIN entries e ON e.transfer_id = t.id AND e.account_id = t.expired_account_id
     WHERE t.circle_id = $1 AND t.cycle = $2 AND t.kind IN ('CREDITS_EXPIRED', 'DEBTS_ANNULLED')`,
    [circleId, cycle],
  );
  return {
    accountsExpired: Number(row.accounts_expired),
    accountsWithCreditsExpired: Number(row.accounts_with_credits_expired),
    accountsWithDebtsAnnulled: Number(row.accounts_with_debts_annulled),
    creditsExpiredMinutes: Number(row.credits_expired_minutes),
    debtsAnnulledMinutes: Number(row.debts_annulled_minutes),
  };
}

async function completedRun(manager: EntityManager, circleId: string, cycle: string): Promise<Omit<ExpiryOutcome, "wasAlreadyComplete"> | undefined> {
  const rows: Array<Record<string, string & number & Date>> = await manager.query(
    `SELECT * FROM expiry_runs WHERE circle_id = $1 AND cycle = $2 AND finished_at IS NOT NULL`,
    [circleId, cycle],
  );
  const row = rows[0];
  return (
    row && {
      circleId,
      cycle,
      finishedAt: row.finished_at,
      accountsExpired: row.accounts_expired,
      accountsWithCreditsExpired: row.accounts_with_credits_expired,
      accountsWithDebtsAnnulled: row.accounts_with_debts_annulled,
      creditsExpiredMinutes: row.credits_expired_minutes,
      debtsAnnulledMinutes: row.debts_annulled_minutes,
    }
  );
}

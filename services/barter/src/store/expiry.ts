import type { EntityManager } from "typeorm";
import { emitEvent, emitEvents, sqlRow, sqlRows, type LunarCycle } from "@rhizome/kit";
import { commonsTakesMinutes, type ExpiryTotals } from "../domain/expiry.js";
import { LedgerInvariantError } from "../domain/ledger.js";
import { holdCycleBarrierExclusive, holdCycleBarriersExclusive } from "./cycle-barrier.js";
import { recordCycleFigures, recordCycleFiguresOf } from "./cycle-figures.js";
import { endLinksAtNewMoon } from "./sisters.js";
import type { Queryable } from "@rhizome/kit";

export type { ExpiryTotals } from "../domain/expiry.js";

export interface ExpiryOutcome extends ExpiryTotals {
  circleId: string;
  cycle: string;
  /** When the run that completed this expiry really finished. */
  finishedAt: Date;
  /** True when an earlier run had already completed this expiry; nothing was written. */
  wasAlreadyComplete: boolean;
}

export interface ExpiryOptions {
  /** The instant the expiry runs at; it must be at or after the cycle's end. */
  now: Date;
  /** Read once, when the run completes, for the finish time it records; defaults to `now`. */
  clock?: () => Date;
  batchSize?: number;
  /** Called after each committed batch; a test throws here to simulate a crash halfway. */
  afterBatch?: (batch: { index: number; accountsInBatch: number }) => void | Promise<void>;
  /** Called inside a batch's or the completion's transaction, just before it commits; throwing there rolls it back, as a crash would. */
  beforeCommit?: (step: { kind: "batch" | "completion"; index: number }) => void | Promise<void>;
}

export class ExpiryError extends Error {
  override name = "ExpiryError";
}

/**
 * One batch, in one statement: the next `$5` accounts of the circle with a balance in the cycle
 * (in account id order after the cursor `$3`, the commons `$4` excepted), one CREDITS_EXPIRED and
 * one DEBTS_ANNULLED transfer for them, an entry closing each non-zero balance, the commons' side,
 * and the commons' cycle balance. Nothing leaves Postgres but the batch's totals.
 */
const expireBatchSql = `WITH batch AS (
    SELECT account_id, balance_minutes FROM account_cycles
    WHERE circle_id = $1 AND cycle = $2 AND account_id > $3 AND account_id <> $4
    ORDER BY account_id LIMIT $5
  ),
  closing AS (
    SELECT account_id, balance_minutes, CASE WHEN balance_minutes > 0 THEN 'CREDITS_EXPIRED' ELSE 'DEBTS_ANNULLED' END AS kind
    FROM batch WHERE balance_minutes <> 0
  ),
  kinds AS (SELECT kind, sum(balance_minutes)::integer AS total_minutes, count(*)::integer AS accounts FROM closing GROUP BY kind),
  written AS (
    INSERT INTO transfers (id, circle_id, kind, cycle, recorded_at)
    SELECT gen_random_uuid(), $1, kind, $2, $6 FROM kinds
    RETURNING id, kind
  ),
  entries_written AS (
    INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
    SELECT w.id, c.account_id, -c.balance_minutes, $2 FROM closing c JOIN written w ON w.kind = c.kind
    UNION ALL
    SELECT w.id, $4, k.total_minutes, $2 FROM kinds k JOIN written w ON w.kind = k.kind
  ),
  commons_moved AS (
    INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
    SELECT $4, $2, $1, sum(total_minutes) FROM kinds HAVING count(*) > 0
    ON CONFLICT (account_id, cycle) DO UPDATE SET balance_minutes = account_cycles.balance_minutes + EXCLUDED.balance_minutes
  )
  SELECT (SELECT count(*) FROM batch)::integer AS accounts_in_batch,
    (SELECT account_id FROM batch ORDER BY account_id DESC LIMIT 1) AS last_account_id,
    COALESCE((SELECT accounts FROM kinds WHERE kind = 'CREDITS_EXPIRED'), 0) AS accounts_with_credits_expired,
    COALESCE((SELECT total_minutes FROM kinds WHERE kind = 'CREDITS_EXPIRED'), 0) AS credits_expired_minutes,
    COALESCE((SELECT accounts FROM kinds WHERE kind = 'DEBTS_ANNULLED'), 0) AS accounts_with_debts_annulled,
    COALESCE(-(SELECT total_minutes FROM kinds WHERE kind = 'DEBTS_ANNULLED'), 0) AS debts_annulled_minutes`;

const NO_ACCOUNT_YET = "00000000-0000-0000-0000-000000000000";

/** The circle's commons account, which every expiry credits or debits; undefined when barter has no accounts there. */
export async function commonsAccountIdOf(db: Queryable, circleId: string): Promise<string | undefined> {
  const row = await sqlRow<{ id: string }>(db, `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'COMMONS'`, [
    circleId,
  ]);
  return row?.id;
}

/**
 * Opens the run record if none exists and marks the cycle expired in the circle's settings, under
 * the circle's cycle barrier (cycle-barrier.ts), held to the end of the transaction: no write can
 * still land in the cycle.
 */
export async function openExpiryRun(tx: EntityManager, circleId: string, cycle: string, now: Date): Promise<void> {
  await holdCycleBarrierExclusive(tx, circleId);
  await tx.query(
    `INSERT INTO expiry_runs (circle_id, cycle, started_at, accounts_expired, accounts_with_credits_expired, accounts_with_debts_annulled, credits_expired_minutes, debts_annulled_minutes)
     VALUES ($1, $2, $3, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING`,
    [circleId, cycle, now],
  );
  await tx.query(
    `UPDATE circle_settings SET expired_through = $2 WHERE circle_id = $1 AND (expired_through IS NULL OR expired_through < $2)`,
    [circleId, cycle],
  );
}

interface ExpiredBatch {
  accountsInBatch: number;
  lastAccountId: string | null;
  accountsWithCreditsExpired: number;
  creditsExpiredMinutes: number;
  accountsWithDebtsAnnulled: number;
  debtsAnnulledMinutes: number;
}

/**
 * Closes the next batch of accounts after the run's cursor (credits expired, debts annulled, the
 * commons takes the difference) and advances the run record's cursor and totals; answers the
 * batch's size and the run's totals after it.
 */
export async function expireBatch(
  tx: Queryable,
  run: RunRecord,
  batch: { commonsAccountId: string; size: number },
  now: Date,
): Promise<{ accountsInBatch: number; totals: RunRecord }> {
  const expired = await sqlRow<ExpiredBatch>(tx, expireBatchSql, [
    run.circleId,
    run.cycle,
    run.afterAccountId ?? NO_ACCOUNT_YET,
    batch.commonsAccountId,
    batch.size,
    now,
  ]);
  if (!expired) throw new ExpiryError(`Expiring a batch of circle ${run.circleId} answered nothing.`);
  const totals: RunRecord = {
    ...run,
    afterAccountId: expired.lastAccountId ?? run.afterAccountId,
    accountsExpired: run.accountsExpired + expired.accountsWithCreditsExpired + expired.accountsWithDebtsAnnulled,
    accountsWithCreditsExpired: run.accountsWithCreditsExpired + expired.accountsWithCreditsExpired,
    creditsExpiredMinutes: run.creditsExpiredMinutes + expired.creditsExpiredMinutes,
    accountsWithDebtsAnnulled: run.accountsWithDebtsAnnulled + expired.accountsWithDebtsAnnulled,
    debtsAnnulledMinutes: run.debtsAnnulledMinutes + expired.debtsAnnulledMinutes,
  };
  if (expired.accountsInBatch > 0) {
    await tx.query(
      `UPDATE expiry_runs SET after_account_id = $3,
         accounts_expired = accounts_expired + $4 + $5,
         accounts_with_credits_expired = accounts_with_credits_expired + $4, credits_expired_minutes = credits_expired_minutes + $6,
         accounts_with_debts_annulled = accounts_with_debts_annulled + $5, debts_annulled_minutes = debts_annulled_minutes + $7
       WHERE circle_id = $1 AND cycle = $2`,
      [
        run.circleId,
        run.cycle,
        expired.lastAccountId,
        expired.accountsWithCreditsExpired,
        expired.accountsWithDebtsAnnulled,
        expired.creditsExpiredMinutes,
        expired.debtsAnnulledMinutes,
      ],
    );
  }
  return { accountsInBatch: expired.accountsInBatch, totals };
}

/**
 * Once every account is closed: checks the commons against the entries, expires the cycle's
 * pending proposals and ends links due to end, marks the run finished, records the cycle's
 * figures and tells consumers, in the transaction of the last batch.
 */
export async function completeRun(
  manager: EntityManager,
  run: RunRecord,
  commonsAccountId: string,
  cycle: LunarCycle,
  times: { now: Date; finishedAt: Date },
): Promise<ExpiryOutcome> {
  const { now, finishedAt } = times;
  const { circleId } = run;
  await assertCommonsAgreeWithEntries(manager, cycle.label, [{ ...run, commonsAccountId }]);
  await manager.query(
    `UPDATE exchanges SET status = 'EXPIRED', decided_at = $3 WHERE circle_id = $1 AND status = 'PENDING' AND proposed_cycle <= $2`,
    [circleId, cycle.label, now],
  );
  await endLinksAtNewMoon(manager, [circleId], cycle.endsAt);
  await manager.query(`UPDATE expiry_runs SET finished_at = $3 WHERE circle_id = $1 AND cycle = $2`, [
    circleId,
    cycle.label,
    finishedAt,
  ]);
  await recordCycleFigures(manager, circleId, cycle, finishedAt);
  await emitEvent(
    manager,
    "cycle.expired",
    {
      circleId,
      cycle: cycle.label,
      creditsExpiredMinutes: run.creditsExpiredMinutes,
      debtsAnnulledMinutes: run.debtsAnnulledMinutes,
      accountsWithDebtsAnnulled: run.accountsWithDebtsAnnulled,
    },
    finishedAt,
  );
  return {
    ...run,
    finishedAt,
    wasAlreadyComplete: false,
  };
}

export interface RunRecord extends ExpiryTotals {
  circleId: string;
  cycle: string;
  afterAccountId: string | null;
  finishedAt: Date | null;
}

/** The run record, locked for the rest of the transaction: concurrent runs of one expiry take turns. */
export async function lockRun(manager: Queryable, circleId: string, cycle: string): Promise<RunRecord> {
  const [row]: Array<Record<string, string & number & Date & null>> = await manager.query(
    `SELECT * FROM expiry_runs WHERE circle_id = $1 AND cycle = $2 FOR UPDATE`,
    [circleId, cycle],
  );
  if (!row) throw new ExpiryError(`Expiry of circle ${circleId} for ${cycle} has no run record.`);
  return {
    circleId,
    cycle,
    afterAccountId: row.after_account_id,
    finishedAt: row.finished_at,
    accountsExpired: row.accounts_expired ?? 0,
    accountsWithCreditsExpired: row.accounts_with_credits_expired ?? 0,
    accountsWithDebtsAnnulled: row.accounts_with_debts_annulled ?? 0,
    creditsExpiredMinutes: row.credits_expired_minutes ?? 0,
    debtsAnnulledMinutes: row.debts_annulled_minutes ?? 0,
  };
}

/**
 * Once every other account is closed, the commons' balance in the cycle is zero (every transfer
 * sums to zero), and what it took by closing entries equals the run's totals, to the minute; for
 * any number of circles in one statement.
 */
async function assertCommonsAgreeWithEntries(
  manager: Queryable,
  cycle: string,
  runs: ReadonlyArray<ExpiryTotals & { circleId: string; commonsAccountId: string }>,
): Promise<void> {
  const rows = await sqlRows<{
    circleId: string;
    balanceMinutes: number | null;
    closingMinutes: string;
    entriesMinutes: string;
  }>(
    manager,
    `SELECT c.circle_id,
       (SELECT balance_minutes FROM account_cycles WHERE account_id = c.commons_account_id AND cycle = $3) AS balance_minutes,
       COALESCE((SELECT sum(e.amount_minutes) FROM entries e JOIN transfers t ON t.id = e.transfer_id
                 WHERE e.account_id = c.commons_account_id AND e.cycle = $3 AND t.kind IN ('CREDITS_EXPIRED', 'DEBTS_ANNULLED')), 0) AS closing_minutes,
       COALESCE((SELECT sum(amount_minutes) FROM entries WHERE account_id = c.commons_account_id AND cycle = $3), 0) AS entries_minutes
     FROM unnest($1::uuid[], $2::uuid[]) AS c(circle_id, commons_account_id)`,
    [runs.map((r) => r.circleId), runs.map((r) => r.commonsAccountId), cycle],
  );
  const byCircle = new Map(rows.map((row) => [row.circleId, row]));
  for (const run of runs) {
    const row = byCircle.get(run.circleId);
    if (!row)
      throw new LedgerInvariantError(
        `The commons of circle ${run.circleId} could not be read after expiry of ${cycle}.`,
      );
    const balance = row.balanceMinutes ?? 0;
    if (balance !== 0 || Number(row.entriesMinutes) !== 0) {
      throw new LedgerInvariantError(
        `After expiry of ${cycle} the commons holds ${balance} minutes (entries ${row.entriesMinutes}) instead of 0.`,
      );
    }
    if (Number(row.closingMinutes) !== commonsTakesMinutes(run)) {
      throw new LedgerInvariantError(
        `The commons took ${row.closingMinutes} minutes by expiry of ${cycle}, but the run counted ${commonsTakesMinutes(run)}.`,
      );
    }
  }
}

/** A circle a page can expire with others: its commons, and how many other accounts have a balance row in the cycle. */
export interface PageableCircle {
  circleId: string;
  commonsAccountId: string;
  accountsInCycle: number;
}

/**
 * What a page of circles needs before expiring together, in one statement, without locks: each
 * circle's commons, how many accounts it would close, and whether it is already under way (a run
 * record with a cursor or a finish) or waits on a completion with another hub. Circles without a
 * commons, under way or waiting are not answered: their own runs handle (or refuse) them.
 */
export async function pageableCircles(
  db: Queryable,
  circleIds: readonly string[],
  cycle: string,
): Promise<PageableCircle[]> {
  return sqlRows<PageableCircle>(
    db,
    `SELECT c.circle_id, a.id AS commons_account_id,
       (SELECT count(*) FROM account_cycles ac WHERE ac.circle_id = c.circle_id AND ac.cycle = $2 AND ac.account_id <> a.id)::integer AS accounts_in_cycle
     FROM unnest($1::uuid[]) AS c(circle_id)
     JOIN accounts a ON a.circle_id = c.circle_id AND a.kind = 'COMMONS'
     WHERE NOT EXISTS (SELECT 1 FROM expiry_runs r WHERE r.circle_id = c.circle_id AND r.cycle = $2
                         AND (r.after_account_id IS NOT NULL OR r.finished_at IS NOT NULL))
       AND NOT EXISTS (SELECT 1 FROM cc_completions_in_doubt d JOIN cc_transactions t ON t.uuid = d.transaction_uuid
                       WHERE t.circle_id = c.circle_id AND t.cycle = $2 AND t.state = 'pending')
     ORDER BY c.circle_id`,
    [circleIds, cycle],
  );
}

/**
 * Opens the run records of a page of circles under their cycle barriers (taken in circle order, as
 * every holder of two takes them), marks the cycle expired in their settings, and locks the
 * records: answers the circles still untouched (no cursor, not finished), which this transaction
 * now expires alone.
 */
export async function openExpiryRunsOf(
  tx: Queryable,
  circleIds: readonly string[],
  cycle: string,
  now: Date,
): Promise<Set<string>> {
  await holdCycleBarriersExclusive(tx, circleIds);
  await tx.query(
    `WITH opened AS (
       INSERT INTO expiry_runs (circle_id, cycle, started_at, accounts_expired, accounts_with_credits_expired, accounts_with_debts_annulled, credits_expired_minutes, debts_annulled_minutes)
       SELECT c, $2, $3, 0, 0, 0, 0, 0 FROM unnest($1::uuid[]) AS c ON CONFLICT DO NOTHING)
     UPDATE circle_settings SET expired_through = $2
     WHERE circle_id = ANY($1::uuid[]) AND (expired_through IS NULL OR expired_through < $2)`,
    [circleIds, cycle, now],
  );
  const locked = await sqlRows<{ circleId: string; isUntouched: boolean }>(
    tx,
    `SELECT circle_id, after_account_id IS NULL AND finished_at IS NULL AS is_untouched FROM expiry_runs
     WHERE circle_id = ANY($1::uuid[]) AND cycle = $2 ORDER BY circle_id FOR UPDATE`,
    [circleIds, cycle],
  );
  return new Set(locked.filter((r) => r.isUntouched).map((r) => r.circleId));
}

/**
 * Closes every account of a page of circles in one statement, as expireBatchSql does for one:
 * per circle, one CREDITS_EXPIRED and one DEBTS_ANNULLED transfer, an entry closing each non-zero
 * balance, the commons' side and its cycle balance; then each run record's cursor and totals.
 */
const expirePageSql = `WITH page AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS p(circle_id, commons_account_id)),
  batch AS (
    SELECT ac.circle_id, ac.account_id, ac.balance_minutes FROM page p
    JOIN account_cycles ac ON ac.circle_id = p.circle_id AND ac.cycle = $3 AND ac.account_id <> p.commons_account_id
  ),
  closing AS (
    SELECT circle_id, account_id, balance_minutes, CASE WHEN balance_minutes > 0 THEN 'CREDITS_EXPIRED' ELSE 'DEBTS_ANNULLED' END AS kind
    FROM batch WHERE balance_minutes <> 0
  ),
  kinds AS (
    SELECT circle_id, kind, sum(balance_minutes)::integer AS total_minutes, count(*)::integer AS accounts, gen_random_uuid() AS transfer_id
    FROM closing GROUP BY circle_id, kind
  ),
  written AS (
    INSERT INTO transfers (id, circle_id, kind, cycle, recorded_at)
    SELECT transfer_id, circle_id, kind, $3, $4 FROM kinds
    RETURNING id
  ),
  entries_written AS (
    INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
    SELECT k.transfer_id, c.account_id, -c.balance_minutes, $3 FROM closing c JOIN kinds k ON k.circle_id = c.circle_id AND k.kind = c.kind JOIN written w ON w.id = k.transfer_id
    UNION ALL
    SELECT k.transfer_id, p.commons_account_id, k.total_minutes, $3 FROM kinds k JOIN page p ON p.circle_id = k.circle_id JOIN written w ON w.id = k.transfer_id
  ),
  commons_moved AS (
    INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
    SELECT p.commons_account_id, $3, p.circle_id, sum(k.total_minutes) FROM kinds k JOIN page p ON p.circle_id = k.circle_id
    GROUP BY p.commons_account_id, p.circle_id
    ON CONFLICT (account_id, cycle) DO UPDATE SET balance_minutes = account_cycles.balance_minutes + EXCLUDED.balance_minutes
  ),
  totals AS (
    SELECT p.circle_id,
      (SELECT count(*) FROM batch b WHERE b.circle_id = p.circle_id)::integer AS accounts_in_batch,
      (SELECT b.account_id FROM batch b WHERE b.circle_id = p.circle_id ORDER BY b.account_id DESC LIMIT 1) AS last_account_id,
      COALESCE((SELECT accounts FROM kinds k WHERE k.circle_id = p.circle_id AND kind = 'CREDITS_EXPIRED'), 0) AS accounts_with_credits_expired,
      COALESCE((SELECT total_minutes FROM kinds k WHERE k.circle_id = p.circle_id AND kind = 'CREDITS_EXPIRED'), 0) AS credits_expired_minutes,
      COALESCE((SELECT accounts FROM kinds k WHERE k.circle_id = p.circle_id AND kind = 'DEBTS_ANNULLED'), 0) AS accounts_with_debts_annulled,
      COALESCE(-(SELECT total_minutes FROM kinds k WHERE k.circle_id = p.circle_id AND kind = 'DEBTS_ANNULLED'), 0) AS debts_annulled_minutes
    FROM page p
  ),
  runs_advanced AS (
    UPDATE expiry_runs r SET after_account_id = t.last_account_id,
      accounts_expired = r.accounts_expired + t.accounts_with_credits_expired + t.accounts_with_debts_annulled,
      accounts_with_credits_expired = r.accounts_with_credits_expired + t.accounts_with_credits_expired,
      credits_expired_minutes = r.credits_expired_minutes + t.credits_expired_minutes,
      accounts_with_debts_annulled = r.accounts_with_debts_annulled + t.accounts_with_debts_annulled,
      debts_annulled_minutes = r.debts_annulled_minutes + t.debts_annulled_minutes
    FROM totals t WHERE r.circle_id = t.circle_id AND r.cycle = $3 AND t.accounts_in_batch > 0
  )
  SELECT * FROM totals`;

/**
 * Expires a page of circles whose run records this transaction holds untouched, each circle's
 * accounts fewer than a batch: closes every account in one statement, checks each commons against
 * its entries, expires pending proposals, ends links due to end, finishes the runs, records the
 * cycle's figures and tells consumers, a few statements for the whole page. Each circle ends as a
 * run of its own would leave it.
 */
export async function expirePage(
  manager: EntityManager,
  circles: readonly PageableCircle[],
  cycle: LunarCycle,
  times: { now: Date; finishedAt: () => Date },
  batchSize: number,
): Promise<ExpiryOutcome[]> {
  if (circles.length === 0) return [];
  const { now } = times;
  const circleIds = circles.map((c) => c.circleId);
  const expired = await sqlRows<ExpiredBatch & { circleId: string }>(manager, expirePageSql, [
    circleIds,
    circles.map((c) => c.commonsAccountId),
    cycle.label,
    now,
  ]);
  const runs = circles.map((circle) => {
    const batch = expired.find((row) => row.circleId === circle.circleId);
    if (!batch) throw new ExpiryError(`Expiring a page answered nothing for circle ${circle.circleId}.`);
    if (batch.accountsInBatch >= batchSize)
      throw new ExpiryError(
        `Circle ${circle.circleId} has ${batch.accountsInBatch} accounts to expire: more than a page takes.`,
      );
    return {
      circleId: circle.circleId,
      cycle: cycle.label,
      commonsAccountId: circle.commonsAccountId,
      afterAccountId: batch.lastAccountId,
      accountsExpired: batch.accountsWithCreditsExpired + batch.accountsWithDebtsAnnulled,
      accountsWithCreditsExpired: batch.accountsWithCreditsExpired,
      creditsExpiredMinutes: batch.creditsExpiredMinutes,
      accountsWithDebtsAnnulled: batch.accountsWithDebtsAnnulled,
      debtsAnnulledMinutes: batch.debtsAnnulledMinutes,
    };
  });
  await assertCommonsAgreeWithEntries(manager, cycle.label, runs);
  await manager.query(
    `UPDATE exchanges SET status = 'EXPIRED', decided_at = $3 WHERE circle_id = ANY($1::uuid[]) AND status = 'PENDING' AND proposed_cycle <= $2`,
    [circleIds, cycle.label, now],
  );
  await endLinksAtNewMoon(manager, circleIds, cycle.endsAt);
  const finishedAt = times.finishedAt();
  await manager.query(`UPDATE expiry_runs SET finished_at = $3 WHERE circle_id = ANY($1::uuid[]) AND cycle = $2`, [
    circleIds,
    cycle.label,
    finishedAt,
  ]);
  await recordCycleFiguresOf(manager, circleIds, cycle, finishedAt);
  await emitEvents(
    manager,
    "cycle.expired",
    runs.map((run) => ({
      circleId: run.circleId,
      cycle: cycle.label,
      creditsExpiredMinutes: run.creditsExpiredMinutes,
      debtsAnnulledMinutes: run.debtsAnnulledMinutes,
      accountsWithDebtsAnnulled: run.accountsWithDebtsAnnulled,
    })),
    finishedAt,
  );
  return runs.map(({ commonsAccountId: _commons, ...run }) => ({ ...run, finishedAt, wasAlreadyComplete: false }));
}

import pg from "pg";
import type { DataSource } from "typeorm";
import { openDatabase, type MetricsRegistry } from "@rhizome/kit";
import { barterMigrations } from "../../src/migrations/index.js";
import { hubEnvironment as testEnvironment } from "@rhizome/kit/testing";

let opened: Promise<DataSource> | undefined;
/** Test files open the schema in parallel processes: one at a time brings it up to date. */
const MIGRATION_LOCK_KEY = 7_420_900;

/**
 * Barter's schema, brought up to date with every migration in src/migrations (under an advisory
 * lock, since test files run in parallel). With a registry, it counts the SQL statements sent
 * (rhizome_db_queries_total) as the running service does.
 */
export async function openTestBarterDatabase(registry?: MetricsRegistry): Promise<DataSource> {
  const url = testEnvironment().databaseUrl;
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
    return await openDatabase({
      url,
      schema: "barter",
      entities: [],
      migrations: barterMigrations,
      registry,
    });
  } finally {
    await lock.end();
  }
}

/** Barter's schema in the test database, for driving the ledger directly and checking it. */
export function barterDatabase(): Promise<DataSource> {
  opened ??= openTestBarterDatabase();
  return opened;
}

export async function closeBarterDatabase(): Promise<void> {
  if (opened) await (await opened).destroy();
  opened = undefined;
}

export interface LedgerSnapshot {
  balances: Record<string, number>;
  entryCount: number;
  transferCount: number;
  exchanges: Record<string, string>;
  listings: Record<string, string>;
  settings: { floorMinutes: number; ceilingMinutes: number } | null;
}

/** Everything a mutation could change in one circle, to show that a refused one changed nothing. */
export async function ledgerSnapshot(db: DataSource, circleId: string): Promise<LedgerSnapshot> {
  const accounts: Array<{ id: string; balance_minutes: number }> = await db.query(
    `SELECT account_id || '@' || cycle AS id, balance_minutes FROM account_cycles WHERE circle_id = $1`,
    [circleId],
  );
  const [{ entries }]: Array<{ entries: string }> = await db.query(
    `SELECT count(*) AS entries FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1`,
    [circleId],
  );
  const [{ transfers }]: Array<{ transfers: string }> = await db.query(
    `SELECT count(*) AS transfers FROM transfers WHERE circle_id = $1`,
    [circleId],
  );
  const exchanges: Array<{ id: string; status: string }> = await db.query(
    `SELECT id, status FROM exchanges WHERE circle_id = $1`,
    [circleId],
  );
  const listings: Array<{ id: string; state: string }> = await db.query(
    `SELECT id, concat_ws('|', description, array_to_string(skills, ','), withdrawn_at) AS state FROM listings WHERE circle_id = $1`,
    [circleId],
  );
  const settings: Array<{ floor_minutes: number; ceiling_minutes: number }> = await db.query(
    `SELECT floor_minutes, ceiling_minutes FROM circle_settings WHERE circle_id = $1`,
    [circleId],
  );
  return {
    balances: Object.fromEntries(accounts.map((a) => [a.id, a.balance_minutes])),
    entryCount: Number(entries),
    transferCount: Number(transfers),
    exchanges: Object.fromEntries(exchanges.map((x) => [x.id, x.status])),
    listings: Object.fromEntries(listings.map((l) => [l.id, l.state])),
    settings: settings[0]
      ? { floorMinutes: settings[0].floor_minutes, ceilingMinutes: settings[0].ceiling_minutes }
      : null,
  };
}

export interface LedgerAudit {
  /** (account, cycle) pairs whose balance differs from the sum of the account's entries in that cycle (closing entries excepted for accounts that expire). */
  balancesNotMatchingEntries: string[];
  /** Transfers whose entries do not sum to zero. */
  unbalancedTransfers: string[];
  /** Sum of every entry in the circle, commons included: always zero in double entry. */
  totalMinutes: number;
}

export async function auditLedger(db: DataSource, circleId: string): Promise<LedgerAudit> {
  const mismatched: Array<{ id: string }> = await db.query(
    `WITH sums AS (
       SELECT e.account_id, e.cycle, sum(e.amount_minutes) FILTER (WHERE a.kind = 'COMMONS' OR t.kind NOT IN ('CREDITS_EXPIRED', 'DEBTS_ANNULLED')) AS held
       FROM entries e JOIN transfers t ON t.id = e.transfer_id JOIN accounts a ON a.id = e.account_id
       WHERE t.circle_id = $1 GROUP BY e.account_id, e.cycle
     )
     SELECT COALESCE(c.account_id, s.account_id) || '@' || COALESCE(c.cycle, s.cycle) AS id
     FROM (SELECT * FROM account_cycles WHERE circle_id = $1) c FULL JOIN sums s ON s.account_id = c.account_id AND s.cycle = c.cycle
     WHERE COALESCE(c.balance_minutes, 0) <> COALESCE(s.held, 0)`,
    [circleId],
  );
  const unbalanced: Array<{ id: string }> = await db.query(
    `SELECT t.id FROM transfers t JOIN entries e ON e.transfer_id = t.id WHERE t.circle_id = $1 GROUP BY t.id HAVING sum(e.amount_minutes) <> 0`,
    [circleId],
  );
  const [{ total }]: Array<{ total: string }> = await db.query(
    `SELECT COALESCE(sum(e.amount_minutes), 0) AS total FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1`,
    [circleId],
  );
  return {
    balancesNotMatchingEntries: mismatched.map((r) => r.id),
    unbalancedTransfers: unbalanced.map((r) => r.id),
    totalMinutes: Number(total),
  };
}

/** What a member holds across the whole ledger: every cycle's entries, closing ones included (zero once every cycle they moved credits in has expired). */
export async function memberBalance(db: DataSource, memberId: string): Promise<number> {
  const rows: Array<{ held: string }> = await db.query(
    `SELECT COALESCE((SELECT sum(e.amount_minutes) FROM entries e WHERE e.account_id = a.id), 0) AS held FROM accounts a WHERE a.member_id = $1`,
    [memberId],
  );
  if (rows.length === 0) throw new Error(`No account for member ${memberId}`);
  return Number(rows[0].held);
}

/** A member's balance in one cycle, as the ledger keeps it. */
export async function memberCycleBalance(db: DataSource, memberId: string, cycle: string): Promise<number> {
  const rows: Array<{ balance_minutes: number }> = await db.query(
    `SELECT c.balance_minutes FROM account_cycles c JOIN accounts a ON a.id = c.account_id WHERE a.member_id = $1 AND c.cycle = $2`,
    [memberId, cycle],
  );
  return rows[0]?.balance_minutes ?? 0;
}

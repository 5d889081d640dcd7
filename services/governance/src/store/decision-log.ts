import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { GENESIS_HASH, checkChain, entryHash, type DecisionLogEntry } from "../domain/decision-log.js";

export interface StoredEntry extends DecisionLogEntry {
  hash: string;
}

/** A row of `decision_log` as Postgres answers it: seq (bigint) as a string, decided_at as a Date. */
interface LogRow extends Omit<StoredEntry, "seq" | "decidedAt"> {
  seq: string;
  decidedAt: Date;
}

/** Exactly the hashed fields and the hash (a column added later must not join the hash). */
const LOG_COLUMNS =
  "circle_id, seq, proposal_id, body_id, rule, outcome, tally, reasons, decided_at, previous_hash, hash";

/** The entry as it was hashed: seq a number, the instant in ISO form. */
const storedEntry = (row: LogRow): StoredEntry => ({
  ...row,
  seq: Number(row.seq),
  decidedAt: row.decidedAt.toISOString(),
});

export interface LogHead {
  seq: number;
  hash: string;
}

/** Locks the heads of these circles' logs (in circle order, so two closers never wait on each other in a cycle). */
export async function lockLogHeads(tx: Queryable, circleIds: readonly string[]): Promise<Map<string, LogHead>> {
  const sorted = [...new Set(circleIds)].sort();
  await tx.query(
    `INSERT INTO decision_log_heads (circle_id, seq, hash) SELECT unnest($1::uuid[]), 0, $2 ORDER BY 1 ON CONFLICT (circle_id) DO NOTHING`,
    [sorted, GENESIS_HASH],
  );
  const rows = await sqlRows<{ circleId: string; seq: string; hash: string }>(
    tx,
    `SELECT circle_id, seq, hash FROM decision_log_heads WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id FOR UPDATE`,
    [sorted],
  );
  return new Map(rows.map((r) => [r.circleId, { seq: Number(r.seq), hash: r.hash }]));
}

/** Appends entries (their heads locked by lockLogHeads), chaining each to the one before it. */
export async function appendEntries(
  tx: Queryable,
  heads: Map<string, LogHead>,
  entries: ReadonlyArray<Omit<DecisionLogEntry, "seq" | "previousHash">>,
): Promise<StoredEntry[]> {
  const stored: StoredEntry[] = [];
  for (const entry of entries) {
    const head = heads.get(entry.circleId);
    if (!head) throw new Error(`invariant: the log head of circle ${entry.circleId} is not locked`);
    const chained: DecisionLogEntry = { ...entry, seq: head.seq + 1, previousHash: head.hash };
    const hash = entryHash(chained);
    stored.push({ ...chained, hash });
    heads.set(entry.circleId, { seq: chained.seq, hash });
  }
  if (stored.length === 0) return stored;
  await tx.query(
    `INSERT INTO decision_log (circle_id, seq, proposal_id, body_id, rule, outcome, tally, reasons, decided_at, previous_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::text[], $11::text[])`,
    [
      stored.map((e) => e.circleId),
      stored.map((e) => e.seq),
      stored.map((e) => e.proposalId),
      stored.map((e) => e.bodyId),
      stored.map((e) => e.rule),
      stored.map((e) => e.outcome),
      stored.map((e) => JSON.stringify(e.tally)),
      stored.map((e) => JSON.stringify(e.reasons)),
      stored.map((e) => e.decidedAt),
      stored.map((e) => e.previousHash),
      stored.map((e) => e.hash),
    ],
  );
  const touched = [...new Set(stored.map((e) => e.circleId))];
  await tx.query(
    `UPDATE decision_log_heads h SET seq = k.seq, hash = k.hash FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS k(circle_id, seq, hash) WHERE h.circle_id = k.circle_id`,
    [touched, touched.map((id) => heads.get(id)!.seq), touched.map((id) => heads.get(id)!.hash)],
  );
  return stored;
}

/** A page of a circle's log, newest first (by seq). */
export async function logPage(
  db: Queryable,
  circleId: string,
  beforeSeq: number | undefined,
  limit: number,
): Promise<StoredEntry[]> {
  const rows = await sqlRows<LogRow>(
    db,
    `SELECT ${LOG_COLUMNS} FROM decision_log WHERE circle_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`,
    [circleId, beforeSeq ?? null, limit],
  );
  return rows.map(storedEntry);
}

export async function logHead(db: Queryable, circleId: string): Promise<LogHead> {
  const head = await sqlRow<{ seq: string; hash: string }>(
    db,
    `SELECT seq, hash FROM decision_log_heads WHERE circle_id = $1`,
    [circleId],
  );
  return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
}

export const VERIFY_BATCH_SIZE = 5_000;

export interface LogVerification {
  isIntact: boolean;
  entriesChecked: number;
  firstBrokenSeq: number | null;
  headHash: string;
}

/**
 * Recomputes every hash of a circle's log from its first entry, a batch at a time, and checks that the
 * chain ends at the recorded head (so an entry removed from the end shows too).
 */
export async function verifyLog(db: Queryable, circleId: string): Promise<LogVerification> {
  const head = await logHead(db, circleId);
  let state = { headHash: GENESIS_HASH, nextSeq: 1 };
  for (;;) {
    const rows = await sqlRows<LogRow>(
      db,
      `SELECT ${LOG_COLUMNS} FROM decision_log WHERE circle_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [circleId, state.nextSeq, VERIFY_BATCH_SIZE],
    );
    const checked = checkChain(rows.map(storedEntry), state);
    if (checked.firstBrokenSeq !== undefined)
      return {
        isIntact: false,
        entriesChecked: checked.nextSeq - 1,
        firstBrokenSeq: checked.firstBrokenSeq,
        headHash: head.hash,
      };
    state = checked;
    if (rows.length < VERIFY_BATCH_SIZE) break;
  }
  const endsAtHead = state.nextSeq - 1 === head.seq && state.headHash === head.hash;
  return {
    isIntact: endsAtHead,
    entriesChecked: state.nextSeq - 1,
    firstBrokenSeq: endsAtHead ? null : state.nextSeq,
    headHash: head.hash,
  };
}

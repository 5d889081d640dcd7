import type { MigrationInterface, QueryRunner } from "typeorm";
import { cycleContaining } from "@rhizome/kit";
import { GENESIS_HASH, entryHash, type DecisionLogEntry } from "../domain/decision-log.js";
import { edgeOnlyUntil } from "../domain/constitution.js";

/** The counts a log entry's tally publishes; anything else stored in a tally is removed. */
const PUBLISHED_TALLY_KEYS = ["eligible", "consent", "standAside", "object", "veto"] as const;
/** Entries read, scrubbed and re-hashed at a time. */
const SCRUB_BATCH_SIZE = 5_000;

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

interface LogRow {
  circle_id: string;
  seq: string;
  proposal_id: string;
  body_id: string;
  rule: string;
  outcome: string;
  tally: Record<string, unknown>;
  reasons: unknown[];
  decided_at: Date;
  previous_hash: string;
  hash: string;
  proposal_kind: string | null;
  founded_at: Date | null;
  seated_then: string;
}

/**
 * What an entry keeps once scrubbed: its tally's five published counts only (no per-bloc counts, such
 * as `standingObjections` and `blockingVetoes`, nor anything naming a member), and its reasons as text
 * only. An amendment decided, under the first rules, by edge seats alone in a circle's first six months
 * counted edge seats: its counts and its reasons (given by edge members only) go, and `eligible` becomes
 * the number of seats taken then (from the seat history), whatever their kind.
 */
function scrubbed(row: LogRow): { tally: Record<string, unknown>; reasons: string[] } {
  const tally: Record<string, unknown> = {};
  for (const key of PUBLISHED_TALLY_KEYS) if (key in row.tally) tally[key] = row.tally[key];
  let reasons = row.reasons.map((reason) =>
    typeof reason === "string"
      ? reason
      : String((reason as { reason?: unknown; text?: unknown }).reason ?? (reason as { text?: unknown }).text ?? ""),
  );
  const wasDecidedByEdgeSeats =
    row.proposal_kind === "AMENDMENT" &&
    "standingObjections" in row.tally &&
    (!row.founded_at || row.decided_at.getTime() < edgeOnlyUntil(row.founded_at).getTime());
  if (wasDecidedByEdgeSeats) {
    Object.assign(tally, {
      eligible: Number(row.seated_then),
      consent: null,
      standAside: null,
      object: null,
      veto: null,
    });
    reasons = [];
  }
  return { tally, reasons: [...reasons].sort() };
}

/**
 * Removes from every stored decision-log entry what the API stopped showing, then re-hashes each
 * changed circle's chain from its first changed entry (the hashes cover the tally, so the chain stays
 * verifiable; hashes someone saved before this change differ from that entry on). The append-only
 * trigger is lifted for this transaction only.
 */
export async function scrubRemovedTallyFields(query: Query): Promise<number> {
  await query(`ALTER TABLE governance.decision_log DISABLE TRIGGER decision_log_append_only`);
  let changedEntries = 0;
  const circles = (await query(
    `SELECT DISTINCT circle_id FROM governance.decision_log
     WHERE EXISTS (SELECT 1 FROM jsonb_object_keys(tally) k WHERE NOT k = ANY($1::text[]))
        OR EXISTS (SELECT 1 FROM jsonb_array_elements(reasons) r WHERE jsonb_typeof(r) <> 'string')`,
    [[...PUBLISHED_TALLY_KEYS]],
  )) as Array<{ circle_id: string }>;
  for (const { circle_id: circleId } of circles) {
    let previousHash = GENESIS_HASH;
    let nextSeq = 1;
    let isRehashing = false;
    for (;;) {
      const rows = (await query(
        `SELECT l.*, p.kind AS proposal_kind, c.founded_at,
                (SELECT count(*) FROM governance.seat_history h WHERE h.body_id = l.body_id AND h.taken_at <= l.decided_at
                   AND (h.left_at IS NULL OR h.left_at > l.decided_at)) AS seated_then
         FROM governance.decision_log l
         LEFT JOIN governance.proposals p ON p.id = l.proposal_id
         LEFT JOIN governance.circles c ON c.circle_id = l.circle_id
         WHERE l.circle_id = $1 AND l.seq >= $2 ORDER BY l.seq LIMIT $3`,
        [circleId, nextSeq, SCRUB_BATCH_SIZE],
      )) as LogRow[];
      for (const row of rows) {
        const { tally, reasons } = scrubbed(row);
        const isChanged =
          JSON.stringify(Object.keys(tally).sort()) !== JSON.stringify(Object.keys(row.tally).sort()) ||
          PUBLISHED_TALLY_KEYS.some((key) => tally[key] !== row.tally[key]) ||
          JSON.stringify(reasons) !== JSON.stringify(row.reasons);
        if (isChanged || isRehashing) {
          const entry: DecisionLogEntry = {
            circleId,
            seq: Number(row.seq),
            proposalId: row.proposal_id,
            bodyId: row.body_id,
            rule: row.rule,
            outcome: row.outcome as DecisionLogEntry["outcome"],
            // eslint-disable-next-line no-restricted-syntax -- the scrubbed tally holds the published counts only, read back from jsonb
            tally: tally as unknown as DecisionLogEntry["tally"],
            reasons,
            decidedAt: row.decided_at.toISOString(),
            previousHash,
          };
          const hash = entryHash(entry);
          await query(
            `UPDATE governance.decision_log SET tally = $3::jsonb, reasons = $4::jsonb, previous_hash = $5, hash = $6 WHERE circle_id = $1 AND seq = $2`,
            [circleId, row.seq, JSON.stringify(tally), JSON.stringify(reasons), previousHash, hash],
          );
          if (isChanged) changedEntries++;
          isRehashing = true;
          previousHash = hash;
        } else previousHash = row.hash;
        nextSeq = Number(row.seq) + 1;
      }
      if (rows.length < SCRUB_BATCH_SIZE) break;
    }
    await query(`UPDATE governance.decision_log_heads SET hash = $2 WHERE circle_id = $1 AND seq = $3`, [
      circleId,
      previousHash,
      nextSeq - 1,
    ]);
  }
  await query(`ALTER TABLE governance.decision_log ENABLE TRIGGER decision_log_append_only`);
  return changedEntries;
}

/**
 * Counts stored under the earlier rules that the present ones would not publish: of fewer than 5 seats,
 * or taken live when a body's first proposal was put (not at a new moon), and any later cycle that kept
 * such a figure. They are kept (how many sat) but publish nothing any more.
 */
export async function forgetUnpublishableCompositions(query: Query): Promise<void> {
  await query(`UPDATE governance.body_compositions SET holds = NULL WHERE seated < 5 AND holds IS NOT NULL`);
  const counts = (await query(
    `SELECT body_id, cycle, counted_at FROM governance.body_compositions WHERE holds IS NOT NULL`,
  )) as Array<{ body_id: string; cycle: string; counted_at: Date }>;
  for (const count of counts)
    if (cycleContaining(count.counted_at).startsAt.getTime() !== count.counted_at.getTime())
      await query(`UPDATE governance.body_compositions SET holds = NULL WHERE body_id = $1 AND cycle = $2`, [
        count.body_id,
        count.cycle,
      ]);
}

/**
 * Small bodies and an old log that still told blocs:
 * - a body's composition is published only from 5 seats and only as counted at a new moon: counts
 *   stored for smaller bodies, or taken live at a body's first proposal, publish nothing (`holds`
 *   null), and may be null from now on;
 * - a shadow assembly may be called by any member, who (or an organizer) records its minutes: who
 *   called it is kept, never shown;
 * - stored decision-log entries lose what the API stopped showing (see scrubRemovedTallyFields).
 */
export class GovernanceSmallBodiesAndScrubbedLog1796000000300 implements MigrationInterface {
  name = "GovernanceSmallBodiesAndScrubbedLog1796000000300";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE governance.body_compositions ALTER COLUMN holds DROP NOT NULL`);
    await forgetUnpublishableCompositions((sql, parameters) => db.query(sql, parameters));
    await db.query(`ALTER TABLE governance.assemblies ADD COLUMN called_by uuid`);
    await db.query(
      `CREATE INDEX shadow_assemblies_by_caller ON governance.assemblies (circle_id, called_by, cycle) WHERE kind = 'SHADOW'`,
    );
    await scrubRemovedTallyFields((sql, parameters) => db.query(sql, parameters));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX governance.shadow_assemblies_by_caller`);
    await db.query(`ALTER TABLE governance.assemblies DROP COLUMN called_by`);
    await db.query(`DELETE FROM governance.body_compositions WHERE holds IS NULL`);
    await db.query(`ALTER TABLE governance.body_compositions ALTER COLUMN holds SET NOT NULL`);
  }
}

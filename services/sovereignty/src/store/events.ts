import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type InstantCursor, type LunarCycle, type Queryable } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { cycleToCountIn } from "./scores.js";

export interface ServiceEventRecord {
  /** The hub event it comes from: the ledger holds each at most once. */
  sourceEventId: string;
  circleId: string;
  cycle: LunarCycle;
  kind: SovereigntyEventKind;
  count: number;
  minutes: number;
  /** Members who took part (exchanges and loans), counted as active; never who was helped. */
  memberIds: readonly string[];
  /**
   * Pseudonyms of the people behind the event (the person a crisis buffered helped; the member who
   * opened a dispute mediated and its parties), never their ids: kinds that name nobody count
   * distinct people by them, not records.
   */
  personKeys?: readonly string[];
  occurredAt: Date;
}

/**
 * Records a service's event in the consumer's transaction; false when it was already recorded. It
 * counts in the cycle it names, unless that cycle's figures were already published: then in the
 * first cycle not yet published, so no published figure ever changes.
 */
export async function recordServiceEvent(tx: Queryable, record: ServiceEventRecord): Promise<boolean> {
  const cycle = await cycleToCountIn(tx, record.circleId, record.cycle);
  const inserted = await sqlRows<{ id: string }>(
    tx,
    `INSERT INTO sovereignty_events (id, circle_id, cycle, kind, count, minutes, source, source_event_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'SERVICE', $7, $8) ON CONFLICT (source_event_id) DO NOTHING RETURNING id`,
    [
      randomUUID(),
      record.circleId,
      cycle.label,
      record.kind,
      record.count,
      record.minutes,
      record.sourceEventId,
      record.occurredAt,
    ],
  );
  if (inserted.length === 0) return false;
  if (record.memberIds.length > 0) {
    await tx.query(
      `INSERT INTO active_members (circle_id, cycle, kind, member_id) SELECT $1, $2, $3, unnest($4::uuid[]) ON CONFLICT DO NOTHING`,
      [record.circleId, cycle.label, record.kind, [...new Set(record.memberIds)]],
    );
  }
  if (record.personKeys && record.personKeys.length > 0) {
    await tx.query(
      `INSERT INTO helped_people (circle_id, cycle, kind, helped_key) SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
      [record.circleId, cycle.label, record.kind, [...new Set(record.personKeys)]],
    );
  }
  return true;
}

/** One need met without a coercive intermediary (table `sovereignty_events`), from a service's event or recorded by hand. */
export interface SovereigntyEventRow {
  id: string;
  circleId: string;
  cycle: string;
  kind: string;
  count: number;
  minutes: number;
  source: "SERVICE" | "HAND";
  sourceEventId: string | null;
  recordedBy: string | null;
  idempotencyKey: string | null;
  recordedAt: Date;
}

const EVENT_COLUMNS = `id, circle_id, cycle, kind, count, minutes, source, source_event_id, recorded_by, idempotency_key, recorded_at`;

export interface HandEventRecord {
  circleId: string;
  /** The cycle it counts in (`cycleToCountIn`), which may be later than the one named. */
  cycle: string;
  kind: SovereigntyEventKind;
  count: number;
  recordedBy: string;
  /** A key the client chose: sending the same record twice (a retry) records it once. */
  idempotencyKey: string | null;
}

/** The circle's hand record made with this idempotency key, if any. */
export function handEventByKey(
  db: Queryable,
  circleId: string,
  idempotencyKey: string,
): Promise<SovereigntyEventRow | undefined> {
  return sqlRow<SovereigntyEventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM sovereignty_events WHERE circle_id = $1 AND idempotency_key = $2`,
    [circleId, idempotencyKey],
  );
}

/**
 * Records an event by hand; undefined when a record with the same idempotency key was committed
 * alongside it (this insert then waited for it and wrote nothing).
 */
export function insertHandEvent(
  tx: Queryable,
  record: HandEventRecord,
  now: Date,
): Promise<SovereigntyEventRow | undefined> {
  return sqlRow<SovereigntyEventRow>(
    tx,
    `INSERT INTO sovereignty_events (id, circle_id, cycle, kind, count, minutes, source, recorded_by, idempotency_key, recorded_at)
     VALUES ($1, $2, $3, $4, $5, 0, 'HAND', $6, $7, $8) ON CONFLICT (circle_id, idempotency_key) DO NOTHING
     RETURNING ${EVENT_COLUMNS}`,
    [
      randomUUID(),
      record.circleId,
      record.cycle,
      record.kind,
      record.count,
      record.recordedBy,
      record.idempotencyKey,
      now,
    ],
  );
}

export interface EventsQuery {
  circleId: string;
  cycle?: string;
  after?: InstantCursor;
  limit: number;
  /** Kinds the ledger never lists one by one (their moment would show when someone was in trouble). */
  unlisted: readonly SovereigntyEventKind[];
}

/** A circle's ledger, newest first, optionally of one cycle, without the kinds it never lists. */
export function eventsOfCircle(db: Queryable, query: EventsQuery): Promise<SovereigntyEventRow[]> {
  return sqlRows<SovereigntyEventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM sovereignty_events
     WHERE circle_id = $1 AND kind <> ALL($2::text[])
       AND ($3::text IS NULL OR cycle = $3)
       AND ($4::timestamptz IS NULL OR (recorded_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY recorded_at DESC, id DESC
     LIMIT $6`,
    [
      query.circleId,
      [...query.unlisted],
      query.cycle ?? null,
      query.after?.at ?? null,
      query.after?.id ?? null,
      query.limit,
    ],
  );
}

/**
 * A member left: the ledger keeps its counts but forgets them. Their activity rows take one fresh
 * id (so distinct counts of past cycles stay the same) and their name leaves what they recorded or told.
 */
export async function forgetMember(tx: Queryable, circleId: string, memberId: string): Promise<void> {
  await tx.query(`UPDATE active_members SET member_id = $3 WHERE circle_id = $1 AND member_id = $2`, [
    circleId,
    memberId,
    randomUUID(),
  ]);
  await tx.query(`UPDATE sovereignty_events SET recorded_by = NULL WHERE circle_id = $1 AND recorded_by = $2`, [
    circleId,
    memberId,
  ]);
  await tx.query(`UPDATE stories SET teller_member_id = NULL WHERE circle_id = $1 AND teller_member_id = $2`, [
    circleId,
    memberId,
  ]);
}

import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { conflict, registerKnownCircle, type InstantCursor, type LunarCycle } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { SovereigntyEventRow } from "../entities/sovereignty-event.js";
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
export async function recordServiceEvent(manager: EntityManager, record: ServiceEventRecord): Promise<boolean> {
  const cycle = await cycleToCountIn(manager, record.circleId, record.cycle);
  const inserted: unknown[] = await manager.query(
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
    await manager.query(
      `INSERT INTO active_members (circle_id, cycle, kind, member_id) SELECT $1, $2, $3, unnest($4::uuid[]) ON CONFLICT DO NOTHING`,
      [record.circleId, cycle.label, record.kind, [...new Set(record.memberIds)]],
    );
  }
  if (record.personKeys && record.personKeys.length > 0) {
    await manager.query(
      `INSERT INTO helped_people (circle_id, cycle, kind, helped_key) SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
      [record.circleId, cycle.label, record.kind, [...new Set(record.personKeys)]],
    );
  }
  return true;
}

export interface HandEventRecord {
  circleId: string;
  cycle: LunarCycle;
  kind: SovereigntyEventKind;
  count: number;
  recordedBy: string;
  /** A key the client chose: sending the same record twice (a retry) records it once. */
  idempotencyKey?: string | null;
}

/**
 * Records an event by hand; a retry with the same idempotency key returns the first record. Like a
 * service's event, it counts in the cycle it names only while that cycle's figures are unpublished.
 */
export async function recordHandEvent(
  db: DataSource,
  record: HandEventRecord,
  now: Date,
): Promise<SovereigntyEventRow> {
  return db.transaction(async (manager) => {
    if (record.idempotencyKey) {
      const first = await manager
        .getRepository(SovereigntyEventRow)
        .findOneBy({ circleId: record.circleId, idempotencyKey: record.idempotencyKey });
      if (first) return sameRecordOrConflict(first, record);
    }
    const cycle = await cycleToCountIn(manager, record.circleId, record.cycle);
    const row = Object.assign(new SovereigntyEventRow(), {
      id: randomUUID(),
      circleId: record.circleId,
      cycle: cycle.label,
      kind: record.kind,
      count: record.count,
      minutes: 0,
      source: "HAND" as const,
      sourceEventId: null,
      recordedBy: record.recordedBy,
      idempotencyKey: record.idempotencyKey ?? null,
      recordedAt: now,
    });
    const inserted: unknown[] = await manager.query(
      `INSERT INTO sovereignty_events (id, circle_id, cycle, kind, count, minutes, source, recorded_by, idempotency_key, recorded_at)
       VALUES ($1, $2, $3, $4, $5, 0, 'HAND', $6, $7, $8) ON CONFLICT (circle_id, idempotency_key) DO NOTHING RETURNING id`,
      [row.id, row.circleId, row.cycle, row.kind, row.count, row.recordedBy, row.idempotencyKey, now],
    );
    if (inserted.length === 0) {
      // A retry that ran alongside the first: the first is committed now.
      return sameRecordOrConflict(
        await manager
          .getRepository(SovereigntyEventRow)
          .findOneByOrFail({ circleId: record.circleId, idempotencyKey: record.idempotencyKey! }),
        record,
      );
    }
    await registerKnownCircle(manager, record.circleId, now);
    return row;
  });
}

function sameRecordOrConflict(first: SovereigntyEventRow, record: HandEventRecord): SovereigntyEventRow {
  // The first record may have gone to a later cycle than it named; the retry names the same one.
  if (first.kind !== record.kind || first.count !== record.count || first.cycle < record.cycle.label) {
    throw conflict("That idempotency key was already used for a different record; use a new key for a new record.");
  }
  return first;
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
export function eventsOfCircle(db: DataSource, query: EventsQuery): Promise<SovereigntyEventRow[]> {
  const select = db
    .getRepository(SovereigntyEventRow)
    .createQueryBuilder("e")
    .where("e.circleId = :circleId", { circleId: query.circleId })
    .andWhere("e.kind NOT IN (:...unlisted)", { unlisted: ["", ...query.unlisted] })
    .orderBy("e.recordedAt", "DESC")
    .addOrderBy("e.id", "DESC")
    .limit(query.limit);
  if (query.cycle) select.andWhere("e.cycle = :cycle", { cycle: query.cycle });
  if (query.after) select.andWhere("(e.recordedAt, e.id) < (:at, :id)", query.after);
  return select.getMany();
}

/**
 * A member left: the ledger keeps its counts but forgets them. Their activity rows take one fresh
 * id (so distinct counts of past cycles stay the same) and their name leaves what they recorded or told.
 */
export async function forgetMember(manager: EntityManager, circleId: string, memberId: string): Promise<void> {
  await manager.query(`UPDATE active_members SET member_id = $3 WHERE circle_id = $1 AND member_id = $2`, [
    circleId,
    memberId,
    randomUUID(),
  ]);
  await manager.query(`UPDATE sovereignty_events SET recorded_by = NULL WHERE circle_id = $1 AND recorded_by = $2`, [
    circleId,
    memberId,
  ]);
  await manager.query(`UPDATE stories SET teller_member_id = NULL WHERE circle_id = $1 AND teller_member_id = $2`, [
    circleId,
    memberId,
  ]);
}

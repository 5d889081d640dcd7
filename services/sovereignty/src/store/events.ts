import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { conflict, registerKnownCircle, type InstantCursor, type LunarCycle } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { SovereigntyEventRow } from "../entities/sovereignty-event.js";
import { amendEndedCycle } from "./scores.js";

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
  occurredAt: Date;
}

/** Records a service's event in the consumer's transaction; false when it was already recorded. */
export async function recordServiceEvent(manager: EntityManager, record: ServiceEventRecord): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO sovereignty_events (id, circle_id, cycle, kind, count, minutes, source, source_event_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'SERVICE', $7, $8) ON CONFLICT (source_event_id) DO NOTHING RETURNING id`,
    [randomUUID(), record.circleId, record.cycle.label, record.kind, record.count, record.minutes, record.sourceEventId, record.occurredAt],
  );
  if (inserted.length === 0) return false;
  if (record.memberIds.length > 0) {
    await manager.query(
      `INSERT INTO active_members (circle_id, cycle, kind, member_id) SELECT $1, $2, $3, unnest($4::uuid[]) ON CONFLICT DO NOTHING`,
      [record.circleId, record.cycle.label, record.kind, [...new Set(record.memberIds)]],
    );
  }
  await amendEndedCycle(manager, record.circleId, record.cycle, record.occurredAt);
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

/** Records an event by hand; a retry with the same idempotency key returns the first record. */
export async function recordHandEvent(db: DataSource, record: HandEventRecord, now: Date): Promise<SovereigntyEventRow> {
  return db.transaction(async (manager) => {
    const row = Object.assign(new SovereigntyEventRow(), {
      id: randomUUID(),
      circleId: record.circleId,
      cycle: record.cycle.label,
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
      const first = await manager.getRepository(SovereigntyEventRow).findOneByOrFail({ circleId: record.circleId, idempotencyKey: record.idempotencyKey! });
      if (first.kind !== row.kind || first.count !== row.count || first.cycle !== row.cycle) {
        throw conflict("That idempotency key was already used for a different record; use a new key for a new record.");
      }
      return first;
    }
    await registerKnownCircle(manager, record.circleId, now);
    await amendEndedCycle(manager, record.circleId, record.cycle, now);
    return row;
  });
}

export interface EventsQuery {
  circleId: string;
  cycle?: string;
  after?: InstantCursor;
  limit: number;
}

/** A circle's ledger, newest first, optionally of one cycle. */
export function eventsOfCircle(db: DataSource, query: EventsQuery): Promise<SovereigntyEventRow[]> {
  const select = db
    .getRepository(SovereigntyEventRow)
    .createQueryBuilder("e")
    .where("e.circleId = :circleId", { circleId: query.circleId })
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
  await manager.query(`UPDATE active_members SET member_id = $3 WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId, randomUUID()]);
  await manager.query(`UPDATE sovereignty_events SET recorded_by = NULL WHERE circle_id = $1 AND recorded_by = $2`, [circleId, memberId]);
  await manager.query(`UPDATE stories SET teller_member_id = NULL WHERE circle_id = $1 AND teller_member_id = $2`, [circleId, memberId]);
}

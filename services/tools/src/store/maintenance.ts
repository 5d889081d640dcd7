import { randomUUID } from "node:crypto";
import { newestFirstRows, sqlRow, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { MaintenanceKind } from "../domain/audits.js";
import type { ToolCondition } from "../domain/catalogue.js";

/** An audit (the condition a caretaker found) or a repair (work done, and the condition after). */
export interface MaintenanceRow {
  id: string;
  circleId: string;
  toolId: string;
  kind: MaintenanceKind;
  memberId: string;
  condition: ToolCondition;
  notes: string;
  minutes: number | null;
  parts: string;
  exchangeId: string | null;
  recordedAt: Date;
  cycle: string;
}

const MAINTENANCE = `id, circle_id, tool_id, kind, member_id, condition, notes, minutes, parts, exchange_id, recorded_at, cycle`;

export type NewMaintenance = Omit<MaintenanceRow, "id" | "recordedAt"> & { idempotencyKey: string | null };

/** The audit or repair a member recorded earlier in the circle with this idempotency key. */
export function maintenanceWithKey(
  tx: Queryable,
  circleId: string,
  memberId: string,
  idempotencyKey: string,
): Promise<MaintenanceRow | undefined> {
  return sqlRow<MaintenanceRow>(
    tx,
    `SELECT ${MAINTENANCE} FROM maintenance WHERE circle_id = $1 AND member_id = $2 AND idempotency_key = $3`,
    [circleId, memberId, idempotencyKey],
  );
}

export async function insertMaintenance(tx: Queryable, record: NewMaintenance, now: Date): Promise<MaintenanceRow> {
  const row = await sqlRow<MaintenanceRow>(
    tx,
    `INSERT INTO maintenance (id, circle_id, tool_id, kind, member_id, condition, notes, minutes, parts, exchange_id, recorded_at, cycle, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${MAINTENANCE}`,
    [
      randomUUID(),
      record.circleId,
      record.toolId,
      record.kind,
      record.memberId,
      record.condition,
      record.notes,
      record.minutes,
      record.parts,
      record.exchangeId,
      now,
      record.cycle,
      record.idempotencyKey,
    ],
  );
  return row!;
}

/** A tool's audits and repairs, newest first. */
export function maintenanceOf(
  db: Queryable,
  toolId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<MaintenanceRow[]> {
  const list = { select: MAINTENANCE, from: "maintenance", instantColumn: "recorded_at", where: { tool_id: toolId } };
  return newestFirstRows<MaintenanceRow>(db, list, after, limit);
}

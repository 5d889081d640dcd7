import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { ToolCondition, ToolChanges, ToolDescription } from "../domain/catalogue.js";

/** A tool of a circle, kept by its host between loans and held by exactly one member at a time. */
export interface ToolRow {
  id: string;
  circleId: string;
  name: string;
  category: string;
  description: string;
  safetyNotes: string;
  condition: ToolCondition;
  hostMemberId: string;
  holderMemberId: string;
  /** Block level at most (a geohash of up to 6 characters). */
  locationCell: string | null;
  /** The queue's counter: the number the next reservation takes is this plus one. */
  reservationsTaken: number;
  waitingCount: number;
  openLoanId: string | null;
  addedAt: Date;
  updatedAt: Date;
  retiredAt: Date | null;
  lastAuditedAt: Date | null;
}

/** Every column of ToolRow (not the search vector). */
const TOOL = `id, circle_id, name, category, description, safety_notes, condition, host_member_id, holder_member_id,
  location_cell, reservations_taken, waiting_count, open_loan_id, added_at, updated_at, retired_at, last_audited_at`;

export interface NewTool extends ToolDescription {
  circleId: string;
  hostMemberId: string;
}

/** Adds a tool; its host holds it from now (the caller opens the first link of its custody). */
export async function insertTool(tx: Queryable, tool: NewTool, now: Date): Promise<ToolRow> {
  const row = await sqlRow<ToolRow>(
    tx,
    `INSERT INTO tools (id, circle_id, host_member_id, holder_member_id, name, category, description, safety_notes, condition,
       location_cell, reservations_taken, waiting_count, added_at, updated_at)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, 0, 0, $10, $10) RETURNING ${TOOL}`,
    [
      randomUUID(),
      tool.circleId,
      tool.hostMemberId,
      tool.name,
      tool.category,
      tool.description,
      tool.safetyNotes,
      tool.condition,
      tool.locationCell,
      now,
    ],
  );
  return row!;
}

/**
 * Locks the tool's row for the rest of the transaction. Every change to a tool's queue, custody,
 * loans or condition starts here, so they happen one at a time.
 */
export function lockTool(tx: Queryable, toolId: string): Promise<ToolRow | undefined> {
  return sqlRow<ToolRow>(tx, `SELECT ${TOOL} FROM tools WHERE id = $1 FOR UPDATE`, [toolId]);
}

/** The tool's circle, read without a lock (reserving locks the member before the tool). */
export function circleOfTool(db: Queryable, toolId: string): Promise<{ circleId: string } | undefined> {
  return sqlRow<{ circleId: string }>(db, `SELECT circle_id FROM tools WHERE id = $1`, [toolId]);
}

const CHANGED_COLUMNS: Record<keyof ToolChanges, string> = {
  name: "name",
  category: "category",
  description: "description",
  safetyNotes: "safety_notes",
  condition: "condition",
  locationCell: "location_cell",
};

/** Writes the fields an edit gives (absent ones stay as they are). */
export async function changeTool(tx: Queryable, toolId: string, changes: ToolChanges, now: Date): Promise<ToolRow> {
  const given = (Object.keys(CHANGED_COLUMNS) as Array<keyof ToolChanges>).filter((key) => changes[key] !== undefined);
  const sets = given.map((key, i) => `${CHANGED_COLUMNS[key]} = $${i + 3}`);
  const row = await sqlRow<ToolRow>(
    tx,
    `UPDATE tools SET ${[...sets, "updated_at = $2"].join(", ")} WHERE id = $1 RETURNING ${TOOL}`,
    [toolId, now, ...given.map((key) => changes[key])],
  );
  return row!;
}

/** The condition an audit found or a repair left. */
export async function setToolCondition(
  tx: Queryable,
  toolId: string,
  condition: ToolCondition,
  audited: boolean,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE tools SET condition = $2, updated_at = $3, last_audited_at = CASE WHEN $4 THEN $3 ELSE last_audited_at END WHERE id = $1`,
    [toolId, condition, now, audited],
  );
}

/** Marks the tool retired; its queue was closed by the caller. */
export async function retireToolRow(tx: Queryable, toolId: string, now: Date): Promise<ToolRow> {
  const row = await sqlRow<ToolRow>(
    tx,
    `UPDATE tools SET condition = 'RETIRED', retired_at = $2, waiting_count = 0, updated_at = $2 WHERE id = $1 RETURNING ${TOOL}`,
    [toolId, now],
  );
  return row!;
}

/** The tool has a new holder and open loan (or none); `fulfilled` reservations left its queue. */
export async function passTool(
  tx: Queryable,
  toolId: string,
  holderMemberId: string,
  openLoanId: string | null,
  fulfilled: number,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE tools SET holder_member_id = $2, open_loan_id = $3, waiting_count = waiting_count - $4, updated_at = $5 WHERE id = $1`,
    [toolId, holderMemberId, openLoanId, fulfilled, now],
  );
}

/** One more member waits: the reservation took the next number of the tool's counter. */
export async function queueGrew(tx: Queryable, toolId: string): Promise<void> {
  await tx.query(
    `UPDATE tools SET reservations_taken = reservations_taken + 1, waiting_count = waiting_count + 1 WHERE id = $1`,
    [toolId],
  );
}

/** One member fewer waits. */
export async function queueShrank(tx: Queryable, toolId: string): Promise<void> {
  await tx.query(`UPDATE tools SET waiting_count = waiting_count - 1 WHERE id = $1`, [toolId]);
}

export function toolsByIds(db: Queryable, toolIds: string[]): Promise<ToolRow[]> {
  return sqlRows<ToolRow>(db, `SELECT ${TOOL} FROM tools WHERE id = ANY($1::uuid[])`, [toolIds]);
}

export interface CatalogueQuery {
  circleId: string;
  category?: string;
  /** Words every match contains (in its name, category or description). */
  words?: string;
  /** Only tools that can be borrowed at once: home, in lendable condition, nobody waiting. */
  isAvailable?: boolean;
  includeRetired?: boolean;
  /** After this (lower-cased name, id). */
  after?: [string, string];
  limit: number;
}

const AVAILABLE = `open_loan_id IS NULL AND waiting_count = 0 AND condition IN ('NEW', 'GOOD', 'WORN') AND retired_at IS NULL`;

/** A circle's tools in name order, filtered. */
export function searchCatalogue(db: Queryable, query: CatalogueQuery): Promise<ToolRow[]> {
  const params: unknown[] = [query.circleId];
  const where = ["circle_id = $1"];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (!query.includeRetired) where.push("retired_at IS NULL");
  if (query.category) where.push(`category = ${param(query.category)}`);
  if (query.words) where.push(`search @@ plainto_tsquery('simple', ${param(query.words)})`);
  if (query.isAvailable === true) where.push(AVAILABLE);
  if (query.isAvailable === false) where.push(`NOT (${AVAILABLE})`);
  if (query.after) where.push(`(lower(name), id) > (${param(query.after[0])}, ${param(query.after[1])})`);
  return sqlRows<ToolRow>(
    db,
    `SELECT ${TOOL} FROM tools WHERE ${where.join(" AND ")} ORDER BY lower(name), id LIMIT ${param(query.limit)}`,
    params,
  );
}

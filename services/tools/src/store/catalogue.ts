import { randomUUID } from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import { conflict, forbidden, isUuid, membershipIn, notFound, type Caller, type Membership } from "@rhizome/kit";
import type { ToolCondition } from "../domain/catalogue.js";
import { CustodyRow } from "../entities/custody.js";
import { ToolRow } from "../entities/tool.js";
import { rememberMember } from "./members.js";
import { tellReservationQueued, tellReservationsClosed } from "./reservation-events.js";
import { tellToolRetired } from "./notifications.js";
import { updateReturning } from "./sql.js";

export const NO_SUCH_TOOL = "No tool with that id in your circles.";

export interface NewTool {
  circleId: string;
  hostMemberId: string;
  name: string;
  category: string;
  description: string;
  safetyNotes: string;
  condition: ToolCondition;
  locationCell: string | null;
}

/** Adds a tool: its host holds it from now, the first link of its chain of custody. */
export async function addTool(db: DataSource, tool: NewTool, now: Date): Promise<ToolRow> {
  return db.transaction(async (manager) => {
    await rememberMember(manager, tool.circleId, tool.hostMemberId, now);
    const row = Object.assign(new ToolRow(), {
      id: randomUUID(),
      ...tool,
      holderMemberId: tool.hostMemberId,
      reservationsTaken: 0,
      waitingCount: 0,
      openLoanId: null,
      addedAt: now,
      updatedAt: now,
      retiredAt: null,
      lastAuditedAt: null,
    });
    await manager.getRepository(ToolRow).insert(row);
    await manager.getRepository(CustodyRow).insert({
      id: randomUUID(),
      circleId: tool.circleId,
      toolId: row.id,
      memberId: tool.hostMemberId,
      heldFrom: now,
      heldUntil: null,
      handOffId: null,
    });
    return row;
  });
}

/**
 * Locks the tool's row for the rest of the transaction and checks the caller belongs to its circle.
 * Every change to a tool's queue, custody, loans or condition starts here, so they happen one at a time.
 */
export async function lockTool(
  manager: EntityManager,
  toolId: string,
  caller: Caller,
): Promise<{ tool: ToolRow; membership: Membership }> {
  const tool = isUuid(toolId)
    ? await manager.getRepository(ToolRow).findOne({ where: { id: toolId }, lock: { mode: "pessimistic_write" } })
    : null;
  const membership = tool ? membershipIn(caller, tool.circleId) : undefined;
  if (!tool || !membership) throw notFound(NO_SUCH_TOOL);
  return { tool, membership };
}

export function requireHostOrOrganizer(tool: ToolRow, membership: Membership): void {
  if (tool.hostMemberId !== membership.memberId && !membership.roles.includes("organizer"))
    throw forbidden("Only the tool's host or an organizer can change it.");
}

export interface ToolChanges {
  name?: string;
  category?: string;
  description?: string;
  safetyNotes?: string;
  condition?: ToolCondition;
  /** null clears the place. */
  locationCell?: string | null;
}

/** Changes what the host says about a tool. Leaving NEEDS_REPAIR takes a recorded repair, not an edit. */
export async function updateTool(
  db: DataSource,
  toolId: string,
  caller: Caller,
  changes: ToolChanges,
  now: Date,
): Promise<ToolRow> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, toolId, caller);
    requireHostOrOrganizer(tool, membership);
    if (tool.retiredAt) throw conflict("This tool is retired; it can no longer be changed.");
    if (tool.condition === "NEEDS_REPAIR" && changes.condition && changes.condition !== "NEEDS_REPAIR") {
      throw conflict("This tool needs repair: record the repair (recordRepair) to change its condition.");
    }
    const categoryBefore = tool.category;
    const updated = Object.assign(
      tool,
      Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
      { updatedAt: now },
    );
    await manager.getRepository(ToolRow).save(updated);
    if (updated.category !== categoryBefore) {
      const waiting: Array<{ id: string; circle_id: string; member_id: string }> = await manager.query(
        `SELECT id, circle_id, member_id FROM reservations WHERE tool_id = $1 AND status = 'WAITING'`,
        [tool.id],
      );
      for (const reservation of waiting)
        await tellReservationQueued(
          manager,
          { id: reservation.id, circleId: reservation.circle_id, memberId: reservation.member_id },
          updated.category,
          now,
        );
    }
    return updated;
  });
}

/** Retires a tool that is home with its host: pending hand-offs and the queue are closed with it, and those who waited are told. */
export async function retireTool(db: DataSource, toolId: string, caller: Caller, now: Date): Promise<ToolRow> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, toolId, caller);
    requireHostOrOrganizer(tool, membership);
    if (tool.retiredAt) throw conflict("This tool is already retired.");
    if (tool.openLoanId || tool.holderMemberId !== tool.hostMemberId)
      throw conflict("This tool is out on a loan: it can be retired once it is back with its host.");
    await manager.query(
      `UPDATE hand_offs SET status = 'CANCELLED', decided_at = $2 WHERE tool_id = $1 AND status = 'PROPOSED'`,
      [tool.id, now],
    );
    const cancelled = await updateReturning<{ id: string; member_id: string }>(
      manager,
      `UPDATE reservations SET status = 'CANCELLED', closed_at = $2 WHERE tool_id = $1 AND status = 'WAITING' RETURNING id, member_id`,
      [tool.id, now],
    );
    // Whoever waited learns why their place is gone, instead of finding it vanished.
    await tellToolRetired(
      manager,
      tool,
      cancelled.map((reservation) => ({ id: reservation.id, memberId: reservation.member_id })),
      now,
    );
    await tellReservationsClosed(
      manager,
      tool.circleId,
      cancelled.map((reservation) => reservation.id),
      now,
    );
    Object.assign(tool, { condition: "RETIRED", retiredAt: now, waitingCount: 0, updatedAt: now });
    await manager.getRepository(ToolRow).save(tool);
    return tool;
  });
}

export function toolsByIds(db: DataSource, toolIds: string[]): Promise<ToolRow[]> {
  return db.getRepository(ToolRow).findBy({ id: In(toolIds) });
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

/** A circle's tools in name order, filtered. */
export function searchCatalogue(db: DataSource, query: CatalogueQuery): Promise<ToolRow[]> {
  const select = db
    .getRepository(ToolRow)
    .createQueryBuilder("t")
    .where("t.circle_id = :circleId", { circleId: query.circleId })
    .orderBy("lower(t.name)", "ASC")
    .addOrderBy("t.id", "ASC")
    .limit(query.limit);
  if (!query.includeRetired) select.andWhere("t.retired_at IS NULL");
  if (query.category) select.andWhere("t.category = :category", { category: query.category });
  if (query.words) select.andWhere("t.search @@ plainto_tsquery('simple', :words)", { words: query.words });
  if (query.isAvailable === true)
    select.andWhere(
      "t.open_loan_id IS NULL AND t.waiting_count = 0 AND t.condition IN ('NEW', 'GOOD', 'WORN') AND t.retired_at IS NULL",
    );
  if (query.isAvailable === false)
    select.andWhere(
      "NOT (t.open_loan_id IS NULL AND t.waiting_count = 0 AND t.condition IN ('NEW', 'GOOD', 'WORN') AND t.retired_at IS NULL)",
    );
  if (query.after)
    select.andWhere("(lower(t.name), t.id) > (:afterName, :afterId)", {
      afterName: query.after[0],
      afterId: query.after[1],
    });
  return select.getMany();
}

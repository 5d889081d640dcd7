import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, conflict, cycleContaining, forbidden, type Caller, type InstantCursor } from "@rhizome/kit";
import type { ToolCondition } from "../domain/catalogue.js";
import { MaintenanceRow } from "../entities/maintenance.js";
import { ToolRow } from "../entities/tool.js";
import { isCaretaker } from "./caretakers.js";
import { lockTool } from "./catalogue.js";
import { rememberMember } from "./members.js";

export interface AuditRecord {
  toolId: string;
  condition: ToolCondition;
  notes: string;
}

/** A caretaker of the current cycle (or an organizer) records the condition they found. */
export async function recordAudit(
  db: DataSource,
  audit: AuditRecord,
  caller: Caller,
  now: Date,
): Promise<{ record: MaintenanceRow; tool: ToolRow }> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, audit.toolId, caller);
    const cycle = cycleContaining(now).label;
    if (
      !membership.roles.includes("organizer") &&
      !(await isCaretaker(manager, tool.circleId, cycle, membership.memberId))
    ) {
      throw forbidden("Only this cycle's caretakers (or an organizer) audit tools.");
    }
    if (tool.retiredAt) throw conflict("This tool is retired; there is nothing to audit.");
    if (audit.condition === "RETIRED")
      throw badInput("An audit records the condition found; retire a tool with retireTool.");
    if (tool.condition === "NEEDS_REPAIR" && audit.condition !== "NEEDS_REPAIR")
      throw conflict("This tool needs repair: record the repair (recordRepair) first.");
    const record = Object.assign(new MaintenanceRow(), {
      id: randomUUID(),
      circleId: tool.circleId,
      toolId: tool.id,
      kind: "AUDIT",
      memberId: membership.memberId,
      condition: audit.condition,
      notes: audit.notes,
      minutes: null,
      parts: "",
      exchangeId: null,
      recordedAt: now,
      cycle,
    });
    await manager.getRepository(MaintenanceRow).insert(record);
    Object.assign(tool, { condition: audit.condition, lastAuditedAt: now, updatedAt: now });
    await manager.getRepository(ToolRow).save(tool);
    await rememberMember(manager, tool.circleId, membership.memberId, now);
    return { record, tool };
  });
}

export interface RepairRecord {
  toolId: string;
  minutes: number;
  parts: string;
  notes: string;
  /** The barter exchange the repair was paid in hours with, if any (barter's id; not checked here). */
  exchangeId: string | null;
  conditionAfter: ToolCondition;
}

/** Any member records a repair they did; the tool takes the condition it was left in, and may be lent again. */
export async function recordRepair(
  db: DataSource,
  repair: RepairRecord,
  caller: Caller,
  now: Date,
): Promise<{ record: MaintenanceRow; tool: ToolRow }> {
  return db.transaction(async (manager) => {
    const { tool, membership } = await lockTool(manager, repair.toolId, caller);
    if (tool.retiredAt) throw conflict("This tool is retired; record no repairs on it.");
    const record = Object.assign(new MaintenanceRow(), {
      id: randomUUID(),
      circleId: tool.circleId,
      toolId: tool.id,
      kind: "REPAIR",
      memberId: membership.memberId,
      condition: repair.conditionAfter,
      notes: repair.notes,
      minutes: repair.minutes,
      parts: repair.parts,
      exchangeId: repair.exchangeId,
      recordedAt: now,
      cycle: cycleContaining(now).label,
    });
    await manager.getRepository(MaintenanceRow).insert(record);
    Object.assign(tool, { condition: repair.conditionAfter, updatedAt: now });
    await manager.getRepository(ToolRow).save(tool);
    await rememberMember(manager, tool.circleId, membership.memberId, now);
    return { record, tool };
  });
}

/** A tool's audits and repairs, newest first. */
export function maintenanceOf(
  db: DataSource,
  toolId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<MaintenanceRow[]> {
  const select = db
    .getRepository(MaintenanceRow)
    .createQueryBuilder("m")
    .where("m.tool_id = :toolId", { toolId })
    .orderBy("m.recorded_at", "DESC")
    .addOrderBy("m.id", "DESC")
    .limit(limit);
  if (after) select.andWhere("(m.recorded_at, m.id) < (:at, :id)", after);
  return select.getMany();
}

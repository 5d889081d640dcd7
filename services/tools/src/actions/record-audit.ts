import { cycleContaining, defineAction, forbidden } from "@rhizome/kit";
import { auditProblem, maintenanceReplay } from "../domain/audits.js";
import type { ToolCondition } from "../domain/catalogue.js";
import { isCaretaker } from "../store/caretakers.js";
import { setToolCondition } from "../store/catalogue.js";
import { insertMaintenance, maintenanceWithKey } from "../store/maintenance.js";
import { rememberMember } from "../store/members.js";
import { lockedToolOfYourCircle, type ToolsStep } from "./access.js";

export interface AuditInput {
  toolId: string;
  condition: ToolCondition;
  /** Already checked (domain `maintenanceNotes`) before the tool is looked up. */
  notes: string;
  /** Already checked (domain `maintenanceIdempotencyKey`): the same key again records nothing more. */
  idempotencyKey: string | null;
}

/** A caretaker of the current cycle (or an organizer) records the condition they found. */
export const recordAudit = defineAction({
  authorize: async (step: ToolsStep, input: AuditInput) => {
    const { row: tool, membership } = await lockedToolOfYourCircle(step, input.toolId);
    const cycle = cycleContaining(step.now).label;
    const mayAudit =
      membership.roles.includes("organizer") || (await isCaretaker(step.tx, tool.circleId, cycle, membership.memberId));
    if (!mayAudit) throw forbidden("Only this cycle's caretakers (or an organizer) audit tools.");
    // Found before the rules: the tool's condition may since have changed because of this very audit.
    const earlier = input.idempotencyKey
      ? await maintenanceWithKey(step.tx, tool.circleId, membership.memberId, input.idempotencyKey)
      : undefined;
    return { tool, memberId: membership.memberId, cycle, earlier };
  },
  decide: (input, { tool, memberId, cycle, earlier }) =>
    (earlier && maintenanceReplay(earlier, tool.id, "AUDIT")) ||
    auditProblem(tool, input.condition) || {
      circleId: tool.circleId,
      toolId: tool.id,
      kind: "AUDIT" as const,
      memberId,
      condition: input.condition,
      notes: input.notes,
      minutes: null,
      parts: "",
      exchangeId: null,
      cycle,
      idempotencyKey: input.idempotencyKey,
    },
  apply: async ({ tx, now }, audit) => {
    if ("replay" in audit) return audit.replay;
    const record = await insertMaintenance(tx, audit, now);
    await setToolCondition(tx, audit.toolId, audit.condition, true, now);
    await rememberMember(tx, audit.circleId, audit.memberId, now);
    return record;
  },
});

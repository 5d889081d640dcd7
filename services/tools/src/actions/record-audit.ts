import { cycleContaining, defineAction, forbidden } from "@rhizome/kit";
import { auditProblem } from "../domain/audits.js";
import type { ToolCondition } from "../domain/catalogue.js";
import { isCaretaker } from "../store/caretakers.js";
import { setToolCondition } from "../store/catalogue.js";
import { insertMaintenance } from "../store/maintenance.js";
import { rememberMember } from "../store/members.js";
import { lockedToolOfYourCircle, type ToolsStep } from "./access.js";

export interface AuditInput {
  toolId: string;
  condition: ToolCondition;
  /** Already checked (domain `maintenanceNotes`) before the tool is looked up. */
  notes: string;
}

/** A caretaker of the current cycle (or an organizer) records the condition they found. */
export const recordAudit = defineAction({
  authorize: async (step: ToolsStep, input: AuditInput) => {
    const { row: tool, membership } = await lockedToolOfYourCircle(step, input.toolId);
    const cycle = cycleContaining(step.now).label;
    const mayAudit =
      membership.roles.includes("organizer") || (await isCaretaker(step.tx, tool.circleId, cycle, membership.memberId));
    if (!mayAudit) throw forbidden("Only this cycle's caretakers (or an organizer) audit tools.");
    return { tool, memberId: membership.memberId, cycle };
  },
  decide: (input, { tool, memberId, cycle }) =>
    auditProblem(tool, input.condition) ?? {
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
    },
  apply: async ({ tx, now }, audit) => {
    const record = await insertMaintenance(tx, audit, now);
    await setToolCondition(tx, audit.toolId, audit.condition, true, now);
    await rememberMember(tx, audit.circleId, audit.memberId, now);
    return record;
  },
});

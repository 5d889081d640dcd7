import { cycleContaining, defineAction } from "@rhizome/kit";
import { maintenanceReplay, repairProblem, type RepairDetails } from "../domain/audits.js";
import { setToolCondition } from "../store/catalogue.js";
import { insertMaintenance, maintenanceWithKey } from "../store/maintenance.js";
import { rememberMember } from "../store/members.js";
import { lockedToolOfYourCircle, type ToolsStep } from "./access.js";

export interface RepairInput extends RepairDetails {
  /** Checked (domain `repairDetails`) before the tool is looked up. */
  toolId: string;
  /** Already checked (domain `maintenanceIdempotencyKey`): the same key again records nothing more. */
  idempotencyKey: string | null;
}

/** Any member records a repair they did; the tool takes the condition it was left in, and may be lent again. */
export const recordRepair = defineAction({
  authorize: async (step: ToolsStep, input: RepairInput) => {
    const { row: tool, membership } = await lockedToolOfYourCircle(step, input.toolId);
    const earlier = input.idempotencyKey
      ? await maintenanceWithKey(step.tx, tool.circleId, membership.memberId, input.idempotencyKey)
      : undefined;
    return { tool, memberId: membership.memberId, earlier };
  },
  decide: (input, { tool, memberId, earlier }, now) =>
    (earlier && maintenanceReplay(earlier, tool.id, "REPAIR")) ||
    repairProblem(tool) || {
      circleId: tool.circleId,
      toolId: tool.id,
      kind: "REPAIR" as const,
      memberId,
      condition: input.conditionAfter,
      notes: input.notes,
      minutes: input.minutes,
      parts: input.parts,
      exchangeId: input.exchangeId,
      cycle: cycleContaining(now).label,
      idempotencyKey: input.idempotencyKey,
    },
  apply: async ({ tx, now }, repair) => {
    if ("replay" in repair) return repair.replay;
    const record = await insertMaintenance(tx, repair, now);
    await setToolCondition(tx, repair.toolId, repair.condition, false, now);
    await rememberMember(tx, repair.circleId, repair.memberId, now);
    return record;
  },
});

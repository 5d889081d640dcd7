import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { accepted, Disclose, isUuid } from "@rhizome/kit";
import { recordAudit } from "../actions/record-audit.js";
import { recordRepair } from "../actions/record-repair.js";
import type { ToolsContext } from "../context.js";
import { maintenanceIdempotencyKey, maintenanceNotes, repairDetails } from "../domain/audits.js";
import { AuditInput, RepairInput } from "./inputs.js";
import { toMaintenanceRecord } from "./mappers.js";
import { MaintenanceRecord } from "./types.js";

@Resolver(() => MaintenanceRecord)
export class MaintenanceResolver {
  @Disclose("members")
  @Mutation(() => MaintenanceRecord, {
    description: "Records the condition a caretaker found. This cycle's caretakers or an organizer.",
  })
  async recordAudit(
    @Arg("input", () => AuditInput) input: AuditInput,
    @Ctx() context: ToolsContext,
  ): Promise<MaintenanceRecord> {
    // The notes are checked before the tool is looked up.
    const { notes } = accepted(maintenanceNotes(input.notes));
    const { idempotencyKey } = accepted(maintenanceIdempotencyKey(input.idempotencyKey));
    return toMaintenanceRecord(
      await recordAudit(context, { toolId: input.toolId, condition: input.condition, notes, idempotencyKey }),
    );
  }

  @Disclose("members")
  @Mutation(() => MaintenanceRecord, {
    description: "Records a repair you did; a tool that needed repair may be lent again. Members of the tool's circle.",
  })
  async recordRepair(
    @Arg("input", () => RepairInput) input: RepairInput,
    @Ctx() context: ToolsContext,
  ): Promise<MaintenanceRecord> {
    // What the repair says is checked before the tool is looked up.
    const details = accepted(repairDetails(input, isUuid));
    const { idempotencyKey } = accepted(maintenanceIdempotencyKey(input.idempotencyKey));
    return toMaintenanceRecord(await recordRepair(context, { toolId: input.toolId, ...details, idempotencyKey }));
  }
}

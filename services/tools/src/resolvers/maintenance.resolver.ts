import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { badInput, isUuid, Disclose } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { MAX_MAINTENANCE_NOTES_LENGTH, MAX_PARTS_LENGTH, MAX_REPAIR_MINUTES } from "../domain/audits.js";
import { recordAudit, recordRepair } from "../store/maintenance.js";
import { AuditInput, RepairInput } from "./inputs.js";
import { toMaintenanceRecord } from "./mappers.js";
import { MaintenanceRecord } from "./types.js";

function checkedNotes(notes: string | null | undefined): string {
  const text = (notes ?? "").trim();
  if (text.length > MAX_MAINTENANCE_NOTES_LENGTH)
    throw badInput(`Notes are at most ${MAX_MAINTENANCE_NOTES_LENGTH} characters; these have ${text.length}.`);
  return text;
}

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
    const { record } = await recordAudit(
      context.db,
      { toolId: input.toolId, condition: input.condition, notes: checkedNotes(input.notes) },
      context.caller,
      context.clock(),
    );
    return toMaintenanceRecord(record);
  }

  @Disclose("members")
  @Mutation(() => MaintenanceRecord, {
    description: "Records a repair you did; a tool that needed repair may be lent again. Members of the tool's circle.",
  })
  async recordRepair(
    @Arg("input", () => RepairInput) input: RepairInput,
    @Ctx() context: ToolsContext,
  ): Promise<MaintenanceRecord> {
    if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_REPAIR_MINUTES) {
      throw badInput(`A repair takes 1 to ${MAX_REPAIR_MINUTES} minutes of work; got ${input.minutes}.`);
    }
    const parts = (input.parts ?? "").trim();
    if (parts.length > MAX_PARTS_LENGTH)
      throw badInput(`Parts are at most ${MAX_PARTS_LENGTH} characters; these have ${parts.length}.`);
    const conditionAfter = input.conditionAfter ?? "GOOD";
    if (!["NEW", "GOOD", "WORN"].includes(conditionAfter))
      throw badInput("After a repair a tool is NEW, GOOD or WORN; if it still needs repair, record no repair yet.");
    if (input.exchangeId != null && !isUuid(input.exchangeId))
      throw badInput("exchangeId is not an exchange id (a UUID from barter).");
    const { record } = await recordRepair(
      context.db,
      {
        toolId: input.toolId,
        minutes: input.minutes,
        parts,
        notes: checkedNotes(input.notes),
        exchangeId: input.exchangeId ?? null,
        conditionAfter,
      },
      context.caller,
      context.clock(),
    );
    return toMaintenanceRecord(record);
  }
}

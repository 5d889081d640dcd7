import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { needsAudit } from "../domain/audits.js";
import {
  conditionChangeProblem,
  normaliseCategory,
  normaliseLocationCell,
  normaliseToolName,
  normaliseToolText,
} from "../domain/catalogue.js";
import { addTool, retireTool, updateTool, type ToolChanges } from "../store/catalogue.js";
import { custodyOf } from "../store/hand-offs.js";
import { maintenanceOf } from "../store/maintenance.js";
import { AddToolInput, UpdateToolInput } from "./inputs.js";
import { toCustodySpell, toHandOff, toLoan, toMaintenanceRecord, toTool } from "./mappers.js";
import { queuePage } from "./queue.js";
import { CustodyPage, HandOff, Loan, MaintenancePage, ReservationPage, Tool } from "./types.js";
import { ownedTool, valueOrBadInput } from "./validate.js";

@Resolver(() => Tool)
export class CatalogueResolver {
  @Disclose("members")
  @Query(() => Tool, { description: "A tool of one of your circles." })
  async tool(@Arg("id", () => ID) id: string, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await ownedTool(context, id)).row);
  }

  @Disclose("members")
  @Mutation(() => Tool, {
    description: "Adds a tool to your circle's library; you become its host and hold it first. Members only.",
  })
  async addTool(@Arg("input", () => AddToolInput) input: AddToolInput, @Ctx() context: ToolsContext): Promise<Tool> {
    const membership = requireMembership(context.caller, input.circleId);
    const condition = input.condition ?? "GOOD";
    const problem = conditionChangeProblem(condition);
    if (problem) throw valueOrBadInput({ problem });
    const row = await addTool(
      context.db,
      {
        circleId: input.circleId,
        hostMemberId: membership.memberId,
        name: valueOrBadInput(normaliseToolName(input.name)).name,
        category: valueOrBadInput(normaliseCategory(input.category)).category,
        description: valueOrBadInput(normaliseToolText(input.description ?? "", "A description's characters")).text,
        safetyNotes: valueOrBadInput(normaliseToolText(input.safetyNotes ?? "", "Safety notes")).text,
        condition,
        locationCell:
          input.locationCell == null ? null : valueOrBadInput(normaliseLocationCell(input.locationCell)).cell,
      },
      context.clock(),
    );
    return toTool(row);
  }

  @Disclose("members")
  @Mutation(() => Tool, { description: "Changes what is said about a tool. Its host or an organizer." })
  async updateTool(
    @Arg("input", () => UpdateToolInput) input: UpdateToolInput,
    @Ctx() context: ToolsContext,
  ): Promise<Tool> {
    const changes: ToolChanges = {};
    if (input.name != null) changes.name = valueOrBadInput(normaliseToolName(input.name)).name;
    if (input.category != null) changes.category = valueOrBadInput(normaliseCategory(input.category)).category;
    if (input.description != null)
      changes.description = valueOrBadInput(normaliseToolText(input.description, "A description's characters")).text;
    if (input.safetyNotes != null)
      changes.safetyNotes = valueOrBadInput(normaliseToolText(input.safetyNotes, "Safety notes")).text;
    if (input.condition != null) {
      const problem = conditionChangeProblem(input.condition);
      if (problem) throw valueOrBadInput({ problem });
      changes.condition = input.condition;
    }
    if (input.locationCell != null && input.clearLocation)
      valueOrBadInput({ problem: "Give either locationCell or clearLocation, not both." });
    if (input.locationCell != null)
      changes.locationCell = valueOrBadInput(normaliseLocationCell(input.locationCell)).cell;
    if (input.clearLocation) changes.locationCell = null;
    return toTool(await updateTool(context.db, input.toolId, context.caller, changes, context.clock()));
  }

  @Disclose("members")
  @Mutation(() => Tool, {
    description: "Retires a tool that is home with its host; its queue is cancelled. Its host or an organizer.",
  })
  async retireTool(@Arg("toolId", () => ID) toolId: string, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool(await retireTool(context.db, toolId, context.caller, context.clock()));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => ReservationPage, { description: "Who waits for the tool, first in line first." })
  async queue(
    @Root() tool: Tool,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<ReservationPage> {
    return queuePage(context, tool.id, page);
  }

  @Disclose("members")
  @FieldResolver(() => Loan, { nullable: true, description: "The loan the tool is out on, if any." })
  async currentLoan(@Root() tool: Tool, @Ctx() context: ToolsContext): Promise<Loan | null> {
    if (!tool.openLoanId) return null;
    const row = await context.loans.load(tool.openLoanId);
    return row ? toLoan(row) : null;
  }

  @Disclose("members")
  @FieldResolver(() => HandOff, { nullable: true, description: "The hand-off waiting for confirmation, if any." })
  async pendingHandOff(@Root() tool: Tool, @Ctx() context: ToolsContext): Promise<HandOff | null> {
    const row = await context.pendingHandOffs.load(tool.id);
    return row ? toHandOff(row) : null;
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => CustodyPage, { description: "Every member who held the tool, with dates, newest first." })
  async custody(
    @Root() tool: Tool,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<CustodyPage> {
    const limit = pageSize(page.first);
    const rows = await custodyOf(context.db, tool.id, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new CustodyPage(),
      toPage(rows, limit, (row) => instantSortKey(row.heldFrom, row.id), toCustodySpell),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => MaintenancePage, { description: "Audits and repairs, newest first." })
  async maintenance(
    @Root() tool: Tool,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<MaintenancePage> {
    const limit = pageSize(page.first);
    const rows = await maintenanceOf(context.db, tool.id, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new MaintenancePage(),
      toPage(rows, limit, (row) => instantSortKey(row.recordedAt, row.id), toMaintenanceRecord),
    );
  }

  @Disclose("members")
  @FieldResolver(() => Boolean, {
    description: "True when neither this cycle nor the one before saw an audit of the tool.",
  })
  needsAudit(@Root() tool: Tool, @Ctx() context: ToolsContext): boolean {
    return !tool.retiredAt && needsAudit(tool.lastAuditedAt ?? tool.addedAt, context.clock());
  }
}

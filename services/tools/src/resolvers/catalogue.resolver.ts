import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  accepted,
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireOwned,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { addTool } from "../actions/add-tool.js";
import { NO_SUCH_TOOL } from "../actions/access.js";
import { retireTool } from "../actions/retire-tool.js";
import { updateTool } from "../actions/update-tool.js";
import type { ToolsContext } from "../context.js";
import { needsAudit } from "../domain/audits.js";
import { toolChanges } from "../domain/catalogue.js";
import { custodyOf } from "../store/hand-offs.js";
import { maintenanceOf } from "../store/maintenance.js";
import { AddToolInput, UpdateToolInput } from "./inputs.js";
import { toCustodySpell, toHandOff, toLoan, toMaintenanceRecord, toTool } from "./mappers.js";
import { queuePage } from "./queue.js";
import { CustodyPage, HandOff, Loan, MaintenancePage, ReservationPage, Tool } from "./types.js";

@Resolver(() => Tool)
export class CatalogueResolver {
  @Disclose("members")
  @Query(() => Tool, { description: "A tool of one of your circles." })
  async tool(@Arg("id", () => ID) id: string, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await requireOwned(context.caller, id, (toolId) => context.tools.load(toolId), NO_SUCH_TOOL)).row);
  }

  @Disclose("members")
  @Mutation(() => Tool, {
    description: "Adds a tool to your circle's library; you become its host and hold it first. Members only.",
  })
  async addTool(@Arg("input", () => AddToolInput) input: AddToolInput, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool(await addTool(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Tool, { description: "Changes what is said about a tool. Its host or an organizer." })
  async updateTool(
    @Arg("input", () => UpdateToolInput) input: UpdateToolInput,
    @Ctx() context: ToolsContext,
  ): Promise<Tool> {
    // What the edit says is checked before the tool is looked up.
    return toTool(await updateTool(context, { toolId: input.toolId, changes: accepted(toolChanges(input)) }));
  }

  @Disclose("members")
  @Mutation(() => Tool, {
    description: "Retires a tool that is home with its host; its queue is cancelled. Its host or an organizer.",
  })
  async retireTool(@Arg("toolId", () => ID) toolId: string, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool(await retireTool(context, { toolId }));
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

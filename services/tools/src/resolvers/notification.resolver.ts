import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
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
import { markNotificationsRead } from "../actions/mark-notifications-read.js";
import type { ToolsContext } from "../context.js";
import { inboxOf } from "../store/notifications.js";
import { toLoan, toNotification, toTool } from "./mappers.js";
import { Loan, Tool, ToolNotification, ToolNotificationPage } from "./types.js";

const MESSAGES: Record<ToolNotification["kind"], (tool: string, due: string | undefined) => string> = {
  LOAN_OVERDUE: (tool, due) =>
    `"${tool}" was due back on ${due}. Hand it on to the next member, or renew the loan if nobody waits.`,
  LOAN_STILL_OVERDUE: (tool, due) => `"${tool}" is still out, due since ${due}. Someone may be waiting for it.`,
  CARETAKERS_LOAN_OVERDUE: (tool, due) =>
    `As caretaker: "${tool}" has been overdue since ${due}. Check in with whoever holds it.`,
  TOOL_RETIRED: (tool) =>
    `"${tool}" was retired from the library, so your reservation for it is closed. Search the catalogue for another.`,
};

@Resolver(() => ToolNotification)
export class NotificationResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => ToolNotificationPage, { description: "Your own in-app inbox in a circle of yours, newest first." })
  async myNotifications(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<ToolNotificationPage> {
    const membership = requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await inboxOf(context.db, circleId, membership.memberId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new ToolNotificationPage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.createdAt, row.id),
        (row) => toNotification(row, row.readUpTo ?? undefined),
      ),
    );
  }

  @Disclose("self")
  @Mutation(() => Int, {
    description:
      "Marks your inbox in a circle read up to `upTo` (pass the createdAt of the newest notification you have seen, so one that arrives meanwhile stays unread); returns how many stay unread. A mark never moves back.",
  })
  async markNotificationsRead(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("upTo", () => Date) upTo: Date,
    @Ctx() context: ToolsContext,
  ): Promise<number> {
    return markNotificationsRead(context, { circleId, upTo });
  }

  @Disclose("members")
  @FieldResolver(() => Tool)
  async tool(@Root() notification: ToolNotification, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await context.tools.load(notification.toolId))!);
  }

  @Disclose("members")
  @FieldResolver(() => Loan, { nullable: true, description: "The overdue loan; null for TOOL_RETIRED." })
  async loan(@Root() notification: ToolNotification, @Ctx() context: ToolsContext): Promise<Loan | null> {
    if (!notification.loanId) return null;
    return toLoan((await context.loans.load(notification.loanId))!);
  }

  @Disclose("members")
  @FieldResolver(() => String)
  async message(@Root() notification: ToolNotification, @Ctx() context: ToolsContext): Promise<string> {
    const tool = await context.tools.load(notification.toolId);
    return MESSAGES[notification.kind](tool?.name ?? "A tool", notification.dueAt?.toISOString().slice(0, 10));
  }
}

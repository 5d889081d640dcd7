import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { Disclose, ownMembership } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { unreadCountOf } from "../store/notifications.js";
import { ToolsMember } from "./types.js";

@Resolver(() => ToolsMember)
export class MemberInboxResolver {
  @Disclose("self")
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "How many of the tool library's notifications to this member are unread (see markNotificationsRead); null unless you are that member.",
  })
  async unreadToolNotifications(@Root() member: ToolsMember, @Ctx() context: ToolsContext): Promise<number | null> {
    // Only the caller's own memberships are counted: no query runs for anyone else's.
    const membership = ownMembership(context.caller, member.id);
    if (!membership) return null;
    return unreadCountOf(context.db, membership.circleId, member.id);
  }
}

import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { Disclose, ownMembership } from "@rhizome/kit";
import { markDefenseNotificationsRead } from "../actions/mark-defense-notifications-read.js";
import type { DefenseContext } from "../context.js";
import { unreadCountOf } from "../store/inbox-read-marks.js";
import { DefenseMember } from "./types.js";

/** Unread counts of the defense inbox, for the member alone: nothing here tells anyone else an alert reached them. */
@Resolver(() => DefenseMember)
export class MemberInboxResolver {
  @Disclose("self")
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "How many of mutual defense's notifications to this member are unread (see markDefenseNotificationsRead); null unless you are that member.",
  })
  async unreadDefenseNotifications(
    @Root() member: DefenseMember,
    @Ctx() context: DefenseContext,
  ): Promise<number | null> {
    // Only the caller's own memberships are counted: no query runs for anyone else's.
    if (!ownMembership(context.caller, member.id)) return null;
    return unreadCountOf(context.db, [member.id]);
  }

  @Disclose("self")
  @Mutation(() => Int, {
    description:
      "Marks your defense inbox read up to `upTo` (pass the createdAt of the newest notification you have seen, so one that arrives meanwhile stays unread); returns how many stay unread. A mark never moves back.",
  })
  async markDefenseNotificationsRead(
    @Arg("upTo", () => Date) upTo: Date,
    @Ctx() context: DefenseContext,
  ): Promise<number> {
    return markDefenseNotificationsRead(context, upTo);
  }
}

import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { cycleContaining, Disclose, ownMembership } from "@rhizome/kit";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { memberBalanceKey, type BarterContext } from "../context.js";
import { awaitingCountOf } from "../store/exchanges.js";
import { BarterBalance, BarterMember } from "./types.js";

/** What a member reads of their own standing in a circle's barter; null for everyone else, so no query runs for them. */
@Resolver(() => BarterMember)
export class MemberBalanceResolver {
  @Disclose("self")
  @FieldResolver(() => BarterBalance, {
    nullable: true,
    description: "The member's time-credit balance; null unless you are that member.",
  })
  async balance(@Root() member: BarterMember, @Ctx() context: BarterContext): Promise<BarterBalance | null> {
    const membership = ownMembership(context.caller, member.id);
    if (!membership) return null;
    const cycle = cycleContaining(context.clock());
    const row = await context.memberBalances.load(memberBalanceKey(member.id, cycle.label, membership.circleId));
    // Zero for a member who moved nothing this cycle, or whose join event has not arrived yet: their true balance.
    const minutes = row?.balanceMinutes ?? 0;
    const limits =
      row?.floorMinutes != null && row.ceilingMinutes != null
        ? { floorMinutes: row.floorMinutes, ceilingMinutes: row.ceilingMinutes }
        : DEFAULT_BALANCE_LIMITS;
    return Object.assign(new BarterBalance(), {
      minutes,
      floorMinutes: limits.floorMinutes,
      ceilingMinutes: limits.ceilingMinutes,
      cycle: cycle.label,
      cycleEndsAt: cycle.endsAt,
    });
  }

  @Disclose("self")
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "How many pending exchanges wait for this member to confirm or decline (they take part and did not propose them); null unless you are that member.",
  })
  async exchangesAwaitingMe(@Root() member: BarterMember, @Ctx() context: BarterContext): Promise<number | null> {
    const membership = ownMembership(context.caller, member.id);
    return membership ? awaitingCountOf(context.db, membership.circleId, member.id) : null;
  }
}

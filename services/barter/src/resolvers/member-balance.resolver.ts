import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { cycleContaining, Disclose } from "@rhizome/kit";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { memberBalanceKey, type BarterContext } from "../context.js";
import { BarterBalance, BarterMember } from "./types.js";

@Resolver(() => BarterMember)
export class MemberBalanceResolver {
  @Disclose("self")
  @FieldResolver(() => BarterBalance, {
    nullable: true,
    description: "The member's time-credit balance; null unless you are that member.",
  })
  async balance(@Root() member: BarterMember, @Ctx() context: BarterContext): Promise<BarterBalance | null> {
    const { caller } = context;
    const membership = caller.kind === "person" ? caller.memberships.find((m) => m.memberId === member.id) : undefined;
    if (!membership) return null;
    const cycle = cycleContaining(context.clock()).label;
    const row = await context.memberBalances.load(memberBalanceKey(member.id, cycle, membership.circleId));
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
      cycle,
    });
  }
}

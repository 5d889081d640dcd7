import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { cycleContaining } from "@rhizome/kit";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import type { BarterContext } from "../context.js";
import { BarterBalance, BarterMember } from "./types.js";

@Resolver(() => BarterMember)
export class MemberBalanceResolver {
  @FieldResolver(() => BarterBalance, { nullable: true, description: "The member's time-credit balance; null unless you are that member." })
  async balance(@Root() member: BarterMember, @Ctx() context: BarterContext): Promise<BarterBalance | null> {
    const { caller } = context;
    const membership = caller.kind === "person" ? caller.memberships.find((m) => m.memberId === member.id) : undefined;
    if (!membership) return null;
    const [account, settings] = await Promise.all([context.accounts.load(member.id), context.settings.load(membership.circleId)]);
    const limits = settings ?? DEFAULT_BALANCE_LIMITS;
    return Object.assign(new BarterBalance(), {
      // A member whose join event has not arrived yet has had no exchanges: zero is their true balance.
      minutes: account?.balanceMinutes ?? 0,
      floorMinutes: limits.floorMinutes,
      ceilingMinutes: limits.ceilingMinutes,
      cycle: cycleContaining(context.clock()).label,
    });
  }
}

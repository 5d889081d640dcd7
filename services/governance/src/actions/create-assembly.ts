import { conflict, cycleContaining, defineAction, isRefusal, requireMembership, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { assemblyTitle } from "../domain/assemblies.js";
import { insertAssembly, lockShadowCallsOf, type AssemblyKindName } from "../store/assemblies.js";

export interface CreateAssemblyInput {
  circleId: string;
  kind: AssemblyKindName;
  title: string;
  meetsAt?: Date | null;
}

/**
 * Any member calls a shadow assembly (at most 3 a cycle, counted under a lock on their calls, so two at
 * once cannot pass it) or this cycle's commons assembly (one per cycle: a second is a CONFLICT).
 */
export const createAssembly = defineAction({
  async authorize({ caller, tx, now }: ActionStep<GovernanceContext>, input: CreateAssemblyInput) {
    const membership = requireMembership(caller, input.circleId);
    const cycle = cycleContaining(now).label;
    const calledThisCycle =
      input.kind === "SHADOW" ? await lockShadowCallsOf(tx, input.circleId, membership.memberId, cycle) : 0;
    return { memberId: membership.memberId, cycle, calledThisCycle };
  },
  decide: (input, call) => {
    const title = assemblyTitle(input.title, { ...call, kind: input.kind });
    return isRefusal(title)
      ? title
      : { ...input, title, meetsAt: input.meetsAt ?? null, cycle: call.cycle, calledBy: call.memberId };
  },
  async apply({ tx, now }, assembly) {
    const row = await insertAssembly(tx, assembly, now);
    if (!row) throw conflict(`Your circle already has its commons assembly for the cycle ${assembly.cycle}.`);
    return row;
  },
});

import { Disclose } from "@rhizome/kit";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { ToolsContext } from "../context.js";
import { confirmHandOff } from "../actions/confirm-hand-off.js";
import { declineHandOff } from "../actions/decline-hand-off.js";
import { proposeHandOff } from "../actions/propose-hand-off.js";
import { requestHandOff } from "../actions/request-hand-off.js";
import { toHandOff, toLoan, toTool } from "./mappers.js";
import { HandOff, HandOffOutcome, Tool } from "./types.js";

@Resolver(() => HandOff)
export class HandOffResolver {
  @Disclose("members")
  @Mutation(() => HandOff, {
    description:
      "The holder offers the tool to a member: the head of its queue, or anyone when nobody waits. It changes hands when they confirm.",
  })
  async proposeHandOff(
    @Arg("toolId", () => ID) toolId: string,
    @Arg("toMemberId", () => ID) toMemberId: string,
    @Ctx() context: ToolsContext,
  ): Promise<HandOff> {
    return toHandOff(await proposeHandOff(context, { toolId, toMemberId }));
  }

  @Disclose("members")
  @Mutation(() => HandOff, {
    description: "Asks the holder for the tool (you must be first in its queue, or nobody waits); the holder confirms.",
  })
  async requestHandOff(@Arg("toolId", () => ID) toolId: string, @Ctx() context: ToolsContext): Promise<HandOff> {
    return toHandOff(await requestHandOff(context, { toolId }));
  }

  @Disclose("members")
  @Mutation(() => HandOffOutcome, {
    description: "The other member confirms: the tool changes hands now, ending and starting loans as it goes.",
  })
  async confirmHandOff(
    @Arg("handOffId", () => ID) handOffId: string,
    @Ctx() context: ToolsContext,
  ): Promise<HandOffOutcome> {
    const confirmed = await confirmHandOff(context, { handOffId });
    return Object.assign(new HandOffOutcome(), {
      handOff: toHandOff(confirmed.handOff),
      loanEnded: confirmed.loanEnded ? toLoan(confirmed.loanEnded) : null,
      loanStarted: confirmed.loanStarted ? toLoan(confirmed.loanStarted) : null,
    });
  }

  @Disclose("members")
  @Mutation(() => HandOff, {
    description: "Turns down a hand-off offered to you (DECLINED), or withdraws your own (CANCELLED).",
  })
  async declineHandOff(@Arg("handOffId", () => ID) handOffId: string, @Ctx() context: ToolsContext): Promise<HandOff> {
    return toHandOff(await declineHandOff(context, { handOffId }));
  }

  @Disclose("members")
  @FieldResolver(() => Tool)
  async tool(@Root() handOff: HandOff, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await context.tools.load(handOff.toolId))!);
  }
}

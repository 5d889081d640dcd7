import { Disclose } from "@rhizome/kit";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { ToolsContext } from "../context.js";
import { applyLoanReminderChanges } from "../jobs/reminders.js";
import { confirmHandOff, declineHandOff, proposeHandOff, requestHandOff } from "../store/hand-offs.js";
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
    return toHandOff(await proposeHandOff(context.db, toolId, toMemberId, context.caller, context.clock()));
  }

  @Disclose("members")
  @Mutation(() => HandOff, {
    description: "Asks the holder for the tool (you must be first in its queue, or nobody waits); the holder confirms.",
  })
  async requestHandOff(@Arg("toolId", () => ID) toolId: string, @Ctx() context: ToolsContext): Promise<HandOff> {
    return toHandOff(await requestHandOff(context.db, toolId, context.caller, context.clock()));
  }

  @Disclose("members")
  @Mutation(() => HandOffOutcome, {
    description: "The other member confirms: the tool changes hands now, ending and starting loans as it goes.",
  })
  async confirmHandOff(
    @Arg("handOffId", () => ID) handOffId: string,
    @Ctx() context: ToolsContext,
  ): Promise<HandOffOutcome> {
    const now = context.clock();
    const confirmed = await confirmHandOff(context.db, handOffId, context.caller, now);
    context.eventsEmitted();
    await applyLoanReminderChanges(
      context.reminders,
      {
        ended: confirmed.loanEnded ? [confirmed.loanEnded] : [],
        started: confirmed.loanStarted ? [confirmed.loanStarted] : [],
        intervalHours: confirmed.reminderIntervalHours,
      },
      now,
      context.logger,
    );
    context.tools.clear(confirmed.handOff.toolId);
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
    return toHandOff(await declineHandOff(context.db, handOffId, context.caller, context.clock()));
  }

  @Disclose("members")
  @FieldResolver(() => Tool)
  async tool(@Root() handOff: HandOff, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await context.tools.load(handOff.toolId))!);
  }
}

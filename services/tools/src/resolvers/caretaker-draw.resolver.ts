import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { cycleContaining, Disclose, requireMembership, witnessedDrawOf } from "@rhizome/kit";
import { caretakerDrawOfYourCircle } from "../actions/access.js";
import { commitCaretakerDrawSeed } from "../actions/commit-caretaker-draw-seed.js";
import { revealCaretakerDrawSeed } from "../actions/reveal-caretaker-draw-seed.js";
import type { ToolsContext } from "../context.js";
import { CARETAKER_DRAW_PURPOSE } from "../domain/caretakers.js";
import { toCaretakerDraw } from "./mappers.js";
import { CaretakerDraw, ToolsCircle } from "./types.js";

/** The caretaker duo's witnessed draws: commit during a cycle, frozen at its end, recomputable by any member. */
@Resolver(() => ToolsCircle)
export class CaretakerDrawResolver {
  @Disclose("members")
  @FieldResolver(() => CaretakerDraw, {
    nullable: true,
    description:
      "The caretaker draw the next new moon freezes: its witnesses' commitments so far; null until a witness commits. Members only.",
  })
  async nextCaretakerDraw(@Root() circle: ToolsCircle, @Ctx() context: ToolsContext): Promise<CaretakerDraw | null> {
    requireMembership(context.caller, circle.id);
    const draw = await witnessedDrawOf(
      context.db,
      circle.id,
      CARETAKER_DRAW_PURPOSE,
      cycleContaining(context.clock()).label,
    );
    return draw ? toCaretakerDraw(draw) : null;
  }

  @Disclose("members")
  @Query(() => CaretakerDraw, {
    description: "A caretaker draw, with everything needed to recompute it once frozen. Members of its circle.",
  })
  async caretakerDraw(@Arg("id", () => ID) id: string, @Ctx() context: ToolsContext): Promise<CaretakerDraw> {
    return toCaretakerDraw((await caretakerDrawOfYourCircle(context.caller, context.db, id)).row);
  }

  @Disclose("members")
  @Mutation(() => CaretakerDraw, {
    description:
      "Commits you as a witness of the caretaker draw at the next new moon: the hub publishes SHA-256([drawId, yourId, seed]) and keeps the seed sealed until the volunteers are frozen as the pool. One commitment per witness and draw, never changed. Members only.",
  })
  async commitCaretakerDrawSeed(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("seed", () => String) seed: string,
    @Ctx() context: ToolsContext,
  ): Promise<CaretakerDraw> {
    return toCaretakerDraw(await commitCaretakerDrawSeed(context, { circleId, seed }));
  }

  @Disclose("members")
  @Mutation(() => CaretakerDraw, {
    description:
      "Reveals your seed after the new moon froze the pool, checked in public against your commitment. The duo does not depend on it. Witnesses only.",
  })
  async revealCaretakerDrawSeed(
    @Arg("drawId", () => ID) drawId: string,
    @Arg("seed", () => String) seed: string,
    @Ctx() context: ToolsContext,
  ): Promise<CaretakerDraw> {
    return toCaretakerDraw(await revealCaretakerDrawSeed(context, { drawId, seed }));
  }
}

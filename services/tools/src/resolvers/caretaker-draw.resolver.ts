import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  commitWitnessSeed,
  cycleContaining,
  drawSealKey,
  notFound,
  requireMembership,
  revealWitnessSeed,
  witnessedDrawOf,
  witnessedDrawsByIds,
  type WitnessedDrawRecord,
  Disclose,
} from "@rhizome/kit";
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
    return toCaretakerDraw(await drawOfYourCircle(context, id));
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
    const membership = requireMembership(context.caller, circleId);
    const now = context.clock();
    const drawId = await commitWitnessSeed(
      context.db,
      drawSealKey(context.config.TOKEN_SECRET),
      {
        circleId,
        purpose: CARETAKER_DRAW_PURPOSE,
        cycle: cycleContaining(now).label,
        memberId: membership.memberId,
        seed,
      },
      now,
    );
    return toCaretakerDraw((await witnessedDrawsByIds(context.db, [drawId]))[0]);
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
    const draw = await drawOfYourCircle(context, drawId);
    const membership = requireMembership(context.caller, draw.circleId);
    await revealWitnessSeed(context.db, draw.id, membership.memberId, seed, context.clock());
    return toCaretakerDraw((await witnessedDrawsByIds(context.db, [draw.id]))[0]);
  }
}

async function drawOfYourCircle(context: ToolsContext, id: string): Promise<WitnessedDrawRecord> {
  const [draw] = await witnessedDrawsByIds(context.db, [id]);
  const isYours =
    draw &&
    draw.purpose === CARETAKER_DRAW_PURPOSE &&
    context.caller.kind === "person" &&
    context.caller.memberships.some((m) => m.circleId === draw.circleId);
  if (!isYours) throw notFound("No caretaker draw with that id in your circles.");
  return draw;
}

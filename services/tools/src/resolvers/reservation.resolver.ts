import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireMembership, Disclose } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { cancelReservation } from "../actions/cancel-reservation.js";
import { reserveTool } from "../actions/reserve-tool.js";
import { placeInQueue, waitingReservationsOfMember } from "../store/reservations.js";
import { toReservation, toTool } from "./mappers.js";
import { Reservation, Tool } from "./types.js";

@Resolver(() => Reservation)
export class ReservationResolver {
  @Disclose("members")
  @Mutation(() => Reservation, {
    description:
      "Joins the tool's queue: first come, first served, up to the circle's limit of open reservations. Members of the tool's circle.",
  })
  async reserveTool(@Arg("toolId", () => ID) toolId: string, @Ctx() context: ToolsContext): Promise<Reservation> {
    const { reservation, place } = await reserveTool(context, { toolId });
    return toReservation(reservation, place);
  }

  @Disclose("members")
  @Mutation(() => Reservation, { description: "Leaves a queue you wait in." })
  async cancelReservation(
    @Arg("reservationId", () => ID) reservationId: string,
    @Ctx() context: ToolsContext,
  ): Promise<Reservation> {
    return toReservation(await cancelReservation(context, { reservationId }), null);
  }

  @Disclose("self")
  @Query(() => [Reservation], {
    description: "The queues you wait in, in a circle of yours, oldest first (at most the circle's limit).",
  })
  async myReservations(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: ToolsContext,
  ): Promise<Reservation[]> {
    const membership = requireMembership(context.caller, circleId);
    return (await waitingReservationsOfMember(context.db, circleId, membership.memberId)).map((row) =>
      toReservation(row),
    );
  }

  @Disclose("members")
  @FieldResolver(() => Tool)
  async tool(@Root() reservation: Reservation, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await context.tools.load(reservation.toolId))!);
  }

  @Disclose("members")
  @FieldResolver(() => Int, {
    nullable: true,
    description: "Your place in the queue now (1: next); null unless waiting.",
  })
  async place(@Root() reservation: Reservation, @Ctx() context: ToolsContext): Promise<number | null> {
    if (reservation.knownPlace !== undefined) return reservation.knownPlace;
    if (reservation.status !== "WAITING") return null;
    return placeInQueue(context.db, { toolId: reservation.toolId, position: reservation.number });
  }
}

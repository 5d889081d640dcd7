import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireId, requireMembership, Disclose } from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import { setSovereigntyRates } from "../actions/set-sovereignty-rates.js";
import type { SovereigntyContext } from "../context.js";
import { moneyKeptOut, ratesForCycle } from "../domain/money.js";
import { currentRates, ratesAround, type MoneyRateRow } from "../store/rates.js";
import { SetSovereigntyRatesInput } from "./inputs.js";
import { circleRef } from "./mappers.js";
import { MoneyKeptOut, SovereigntyRates, SovereigntyScore } from "./types.js";

const toRates = (circleId: string, rates: MoneyRateRow) =>
  Object.assign(new SovereigntyRates(), { circle: circleRef(circleId), ...rates });

@Resolver(() => SovereigntyScore)
export class MoneyResolver {
  @Disclose("public")
  @FieldResolver(() => MoneyKeptOut, {
    nullable: true,
    description:
      "The money the cycle kept out of banks and bureaucracies, at the rates its circle set; null while the cycle is open or when the circle has set no rates.",
  })
  async moneyKeptOut(
    @Root() score: SovereigntyScore,
    @Ctx() context: SovereigntyContext,
  ): Promise<MoneyKeptOut | null> {
    if (!score.isClosed) return null;
    const { inForce, first } = await ratesAround(context.db, score.circle.id, score.endsAt);
    const rates = ratesForCycle(inForce, first);
    if (!rates) return null;
    const money = moneyKeptOut({ MINUTES_EXCHANGED: score.minutesExchanged, LOANS: score.loans }, rates);
    return Object.assign(new MoneyKeptOut(), {
      currency: money.currency,
      hourValueMinor: money.hourValueMinor,
      loanValueMinor: money.loanValueMinor,
      fromHoursMinor: money.fromHoursMinor,
      fromLoansMinor: money.fromLoansMinor,
      totalMinor: money.totalMinor,
    });
  }

  @Disclose("members")
  @Query(() => SovereigntyRates, {
    nullable: true,
    description: "The rates your circle values an hour and a loan at; null until set. Members only.",
  })
  async sovereigntyRates(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyRates | null> {
    requireId(circleId, NO_CIRCLE);
    requireMembership(context.caller, circleId);
    const rates = await currentRates(context.db, circleId, context.clock());
    return rates ? toRates(circleId, rates) : null;
  }

  @Disclose("stewards")
  @Mutation(() => SovereigntyRates, {
    description:
      "Sets the rates your circle values an hour exchanged and a loan made at, for the money kept out of banks: cycles that end from now on are valued at them (closed cycles keep theirs). Organizers and stewards.",
  })
  async setSovereigntyRates(
    @Arg("input", () => SetSovereigntyRatesInput) input: SetSovereigntyRatesInput,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyRates> {
    return toRates(input.circleId, await setSovereigntyRates(context, { ...input }));
  }
}

import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { badInput, requireMembership, Disclose } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { moneyKeptOut, moneyRatesProblem, ratesForCycle, type MoneyRates } from "../domain/money.js";
import { currentRates, ratesAround, setMoneyRates } from "../store/rates.js";
import { requireOrganizerOrSteward } from "./access.js";
import { requireCircleId } from "./cycles.js";
import { SetSovereigntyRatesInput } from "./inputs.js";
import { circleRef } from "./mappers.js";
import { MoneyKeptOut, SovereigntyRates, SovereigntyScore } from "./types.js";

const KNOWN_CURRENCIES = Intl.supportedValuesOf("currency");

const toRates = (circleId: string, rates: MoneyRates & { setAt: Date }) =>
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
    requireCircleId(circleId);
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
    requireCircleId(input.circleId);
    requireOrganizerOrSteward(context.caller, input.circleId, "set the circle's rates");
    const rates = {
      currency: input.currency,
      hourValueMinor: input.hourValueMinor,
      loanValueMinor: input.loanValueMinor,
    };
    const problem = moneyRatesProblem(rates, KNOWN_CURRENCIES);
    if (problem) throw badInput(problem);
    const now = context.clock();
    await setMoneyRates(context.db, input.circleId, rates, now);
    return toRates(input.circleId, { ...rates, setAt: now });
  }
}

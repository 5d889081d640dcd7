import { defineAction, requireId, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { checkMoneyRates, type MoneyRates } from "../domain/money.js";
import { insertMoneyRates, type MoneyRateRow } from "../store/rates.js";
import { NO_CIRCLE, requireOrganizerOrSteward } from "./access.js";

const KNOWN_CURRENCIES = Intl.supportedValuesOf("currency");

export interface SetSovereigntyRatesInput extends MoneyRates {
  circleId: string;
}

/** Organizers and stewards set the rates an hour and a loan are valued at, for cycles that end from now on (S2). */
export const setSovereigntyRates = defineAction({
  authorize: ({ caller }: ActionStep<SovereigntyContext>, input: SetSovereigntyRatesInput) =>
    requireOrganizerOrSteward(caller, requireId(input.circleId, NO_CIRCLE), "set the circle's rates"),
  decide: (input) =>
    checkMoneyRates(
      { currency: input.currency, hourValueMinor: input.hourValueMinor, loanValueMinor: input.loanValueMinor },
      KNOWN_CURRENCIES,
    ),
  apply: async ({ tx, now }, rates, membership): Promise<MoneyRateRow> => {
    await insertMoneyRates(tx, membership.circleId, rates, now);
    return { ...rates, setAt: now };
  },
});

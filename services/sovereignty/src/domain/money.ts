import type { Verdict } from "@rhizome/kit/rules";
import type { PublishedFigures } from "./scores.js";

/** The most a circle may value one hour at, in minor units (10,000.00 in a two-decimal currency). */
export const MAX_HOUR_VALUE_MINOR = 1_000_000;
/** The most a circle may value one loan at, in minor units (100,000.00 in a two-decimal currency). */
export const MAX_LOAN_VALUE_MINOR = 10_000_000;

/** What a circle says an hour given and a tool lent would have cost in money, in minor units of its currency. */
export interface MoneyRates {
  currency: string;
  hourValueMinor: number;
  loanValueMinor: number;
}

/** The money a closed cycle kept out of banks and bureaucracies; a part is null when its figure is suppressed. */
export interface MoneyKeptOut extends MoneyRates {
  fromHoursMinor: number | null;
  fromLoansMinor: number | null;
  /** The published parts added up; null when both are suppressed. */
  totalMinor: number | null;
}

/** Why rates are refused, or undefined when they are acceptable. */
export function moneyRatesProblem(rates: MoneyRates, knownCurrencies: readonly string[]): string | undefined {
  if (!/^[A-Z]{3}$/.test(rates.currency) || !knownCurrencies.includes(rates.currency))
    return `currency must be an ISO 4217 code in capitals, e.g. "EUR"; got "${rates.currency}".`;
  if (
    !Number.isInteger(rates.hourValueMinor) ||
    rates.hourValueMinor < 0 ||
    rates.hourValueMinor > MAX_HOUR_VALUE_MINOR
  )
    return `hourValueMinor must be a whole number from 0 to ${MAX_HOUR_VALUE_MINOR}; got ${rates.hourValueMinor}.`;
  if (
    !Number.isInteger(rates.loanValueMinor) ||
    rates.loanValueMinor < 0 ||
    rates.loanValueMinor > MAX_LOAN_VALUE_MINOR
  )
    return `loanValueMinor must be a whole number from 0 to ${MAX_LOAN_VALUE_MINOR}; got ${rates.loanValueMinor}.`;
  return undefined;
}

/** Rates a circle sets, or the refusal naming what is wrong with them. */
export function checkMoneyRates(rates: MoneyRates, knownCurrencies: readonly string[]): Verdict<MoneyRates> {
  const problem = moneyRatesProblem(rates, knownCurrencies);
  return problem === undefined ? rates : { problem };
}

/**
 * The rates a closed cycle is valued at: those in force when it ended, so that once a circle has
 * rates a closed cycle's figure never changes; a cycle that ended before the circle set any is
 * valued at the first rates it set (which never change either). None set: not valued.
 */
export function ratesForCycle(inForceAtEnd: MoneyRates | undefined, first: MoneyRates | undefined) {
  return inForceAtEnd ?? first;
}

/**
 * The money figure of a closed cycle, computed only from its published figures (minutes exchanged
 * and loans, each already suppressed below 5 people), so it tells nothing they do not: a part whose
 * figure is suppressed is null and adds nothing to the total.
 */
export function moneyKeptOut(
  figures: Pick<PublishedFigures, "MINUTES_EXCHANGED" | "LOANS">,
  rates: MoneyRates,
): MoneyKeptOut {
  const minutes = figures.MINUTES_EXCHANGED;
  const loans = figures.LOANS;
  const fromHoursMinor = minutes === null ? null : Math.round((minutes * rates.hourValueMinor) / 60);
  const fromLoansMinor = loans === null ? null : loans * rates.loanValueMinor;
  const totalMinor =
    fromHoursMinor === null && fromLoansMinor === null ? null : (fromHoursMinor ?? 0) + (fromLoansMinor ?? 0);
  return { ...rates, fromHoursMinor, fromLoansMinor, totalMinor };
}

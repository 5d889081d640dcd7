import { language } from "../i18n/i18n.js";

/** How many decimals a currency's minor units have (2 for EUR, 0 for JPY). */
const decimalsOf = (currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** An amount in minor units as money in the member's language: "€12.50", "12,50 €". */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(language(), { style: "currency", currency }).format(minor / 10 ** decimalsOf(currency));
}

/** Money typed by a member ("12.50", "12,50") in minor units of the currency; undefined when it is no amount or below `least`. */
export function minorOf(typed: string, currency: string, least = 0): number | undefined {
  const amount = Number(typed.trim().replace(",", "."));
  if (typed.trim() === "" || !Number.isFinite(amount) || amount < least) return undefined;
  return Math.round(amount * 10 ** decimalsOf(currency));
}

/** Minor units as the plain number a member would type: 1500 EUR is "15". */
export const typedAmountOf = (minor: number, currency: string) => String(minor / 10 ** decimalsOf(currency));

/** Whether the browser knows the currency code (it throws on codes that are not three letters). */
export function isCurrencyCode(code: string): boolean {
  try {
    decimalsOf(code);
    return /^[A-Z]{3}$/.test(code);
  } catch {
    return false;
  }
}

/**
 * At the new moon every balance of the cycle that ended returns to zero against the commons: a
 * positive balance's credits expire, a negative balance's debts are annulled, zero balances need
 * nothing. Expiry writes this set-based, in batches of accounts, one transfer per kind and batch.
 */
export const EXPIRY_BATCH_SIZE = 10_000;

export type ClosingKind = "CREDITS_EXPIRED" | "DEBTS_ANNULLED";

/** What closing a balance is called; undefined for a zero balance, which needs no entry. */
export function closingKind(balanceMinutes: number): ClosingKind | undefined {
  if (balanceMinutes === 0) return undefined;
  return balanceMinutes > 0 ? "CREDITS_EXPIRED" : "DEBTS_ANNULLED";
}

/** What an expiry did, as magnitudes: minutes of credits expired and of debts annulled, and the accounts behind each. */
export interface ExpiryTotals {
  accountsExpired: number;
  accountsWithCreditsExpired: number;
  accountsWithDebtsAnnulled: number;
  creditsExpiredMinutes: number;
  debtsAnnulledMinutes: number;
}

export const NO_EXPIRY: ExpiryTotals = {
  accountsExpired: 0,
  accountsWithCreditsExpired: 0,
  accountsWithDebtsAnnulled: 0,
  creditsExpiredMinutes: 0,
  debtsAnnulledMinutes: 0,
};

/** The totals of closing these balances: the model the set-based SQL must agree with. */
export function expiryTotalsOf(balancesMinutes: readonly number[]): ExpiryTotals {
  const totals = { ...NO_EXPIRY };
  for (const balance of balancesMinutes) {
    const kind = closingKind(balance);
    if (!kind) continue;
    totals.accountsExpired++;
    if (kind === "CREDITS_EXPIRED") {
      totals.accountsWithCreditsExpired++;
      totals.creditsExpiredMinutes += balance;
    } else {
      totals.accountsWithDebtsAnnulled++;
      totals.debtsAnnulledMinutes -= balance;
    }
  }
  return totals;
}

/**
 * What the commons takes from an expiry: the credits that expired, less the debts it annulled.
 * Since every transfer of a cycle sums to zero, once all other accounts are closed the commons'
 * own balance in the cycle must be zero too.
 */
export function commonsTakesMinutes(totals: ExpiryTotals): number {
  return totals.creditsExpiredMinutes - totals.debtsAnnulledMinutes;
}

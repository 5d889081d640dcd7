import type { Transfer } from "./ledger.js";

/** Accounts expired per transaction: big circles are expired in several short transactions. */
export const EXPIRY_BATCH_SIZE = 1_000;

export interface DueBalance {
  accountId: string;
  /** What the account accrued up to the end of the expiring cycle and has not yet been expired. */
  dueMinutes: number;
}

/**
 * The transfers that return each balance to zero against the commons: a positive balance's
 * credits expire, a negative balance's debts are annulled. Zero balances need no transfer.
 */
export function expiryTransfers(due: readonly DueBalance[], commonsAccountId: string): Array<Transfer & { expiredAccountId: string }> {
  return due
    .filter((account) => account.dueMinutes !== 0)
    .map((account) => ({
      kind: account.dueMinutes > 0 ? ("CREDITS_EXPIRED" as const) : ("DEBTS_ANNULLED" as const),
      expiredAccountId: account.accountId,
      entries: [
        { accountId: account.accountId, amountMinutes: -account.dueMinutes },
        { accountId: commonsAccountId, amountMinutes: account.dueMinutes },
      ],
    }));
}

/**
 * Double-entry bookkeeping in integer minutes. A transfer is a set of entries that sum to zero;
 * an entry credits its account (positive amount, the balance rises) or debits it (negative).
 * Each circle has one account per member and one commons account that absorbs expiry.
 */
export const transferKinds = [
  "EXCHANGE",
  "CREDITS_EXPIRED",
  "DEBTS_ANNULLED",
  "MEMBER_LEFT",
  "CLEARING",
  "REMOTE",
] as const;
export type TransferKind = (typeof transferKinds)[number];

export interface Entry {
  accountId: string;
  amountMinutes: number;
}

export interface Transfer {
  kind: TransferKind;
  entries: Entry[];
}

/** A broken ledger invariant. Never shown to a client; the transaction that raised it rolls back. */
export class LedgerInvariantError extends Error {
  override name = "LedgerInvariantError";
}

/** The provider is credited for the time they gave; the receiver is debited for the time they got. */
export function exchangeTransfer(providerAccountId: string, receiverAccountId: string, minutes: number): Transfer {
  return {
    kind: "EXCHANGE",
    entries: [
      { accountId: providerAccountId, amountMinutes: minutes },
      { accountId: receiverAccountId, amountMinutes: -minutes },
    ],
  };
}

/**
 * A member who leaves returns their whole balance to the commons, as expiry would at the new moon:
 * credits they held go back, debts they owed are forgiven. Undefined when the balance is zero.
 */
export function memberLeftTransfer(
  memberAccountId: string,
  commonsAccountId: string,
  balanceMinutes: number,
): Transfer | undefined {
  if (balanceMinutes === 0) return undefined;
  return {
    kind: "MEMBER_LEFT",
    entries: [
      { accountId: memberAccountId, amountMinutes: -balanceMinutes },
      { accountId: commonsAccountId, amountMinutes: balanceMinutes },
    ],
  };
}

export function sumMinutes(entries: readonly Entry[]): number {
  return entries.reduce((total, entry) => total + entry.amountMinutes, 0);
}

/** Throws unless every entry is a non-zero whole number of minutes and the entries sum to zero. */
export function assertTransferBalanced(transfer: Transfer): void {
  if (transfer.entries.length < 2)
    throw new LedgerInvariantError(
      `A ${transfer.kind} transfer needs at least two entries; got ${transfer.entries.length}.`,
    );
  for (const entry of transfer.entries) {
    if (!Number.isSafeInteger(entry.amountMinutes) || entry.amountMinutes === 0) {
      throw new LedgerInvariantError(
        `Entry for account ${entry.accountId} has amount ${entry.amountMinutes}; amounts are non-zero whole minutes.`,
      );
    }
  }
  const total = sumMinutes(transfer.entries);
  if (total !== 0)
    throw new LedgerInvariantError(`A ${transfer.kind} transfer's entries sum to ${total} minutes instead of 0.`);
}

/** Balances after applying transfers; accounts not mentioned keep their balance. */
export function applyTransfers(
  balances: ReadonlyMap<string, number>,
  transfers: readonly Transfer[],
): Map<string, number> {
  const next = new Map(balances);
  for (const transfer of transfers) {
    for (const entry of transfer.entries)
      next.set(entry.accountId, (next.get(entry.accountId) ?? 0) + entry.amountMinutes);
  }
  return next;
}

export interface AccountCheck {
  accountId: string;
  balanceMinutes: number;
  entriesSumMinutes: number;
}

/** Throws when a cached balance differs from the sum of the account's entries. */
export function assertBalancesMatchEntries(accounts: readonly AccountCheck[]): void {
  const wrong = accounts.filter((a) => a.balanceMinutes !== a.entriesSumMinutes);
  if (wrong.length > 0) {
    const details = wrong
      .map((a) => `${a.accountId}: balance ${a.balanceMinutes}, entries ${a.entriesSumMinutes}`)
      .join("; ");
    throw new LedgerInvariantError(`Cached balance differs from the sum of entries for ${details}.`);
  }
}

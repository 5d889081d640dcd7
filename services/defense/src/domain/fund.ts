import {
  boundedText,
  isRefusal,
  mayReplaceSnapshot,
  MIN_PEOPLE_PER_PUBLISHED_FIGURE,
  type Verdict,
} from "@rhizome/kit/rules";

/**
 * D3: the fund's double-entry ledger in integer minor units of one currency. Each circle has, per
 * currency, HELD (money the stewards hold), CONTRIBUTED (where contributions come from) and
 * DISBURSED (where disbursements go). A transfer's entries sum to zero; HELD never goes below zero.
 */
export const purposes = ["RENT", "LEGAL", "BAIL", "MEDICAL", "FOOD", "TRAVEL", "OTHER"] as const;
export type Purpose = (typeof purposes)[number];
export type FundAccountKind = "HELD" | "CONTRIBUTED" | "DISBURSED";

export const MAX_AMOUNT_MINOR = 100_000_000;
export const MAX_REASON_LENGTH = 500;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export interface FundEntry {
  accountId: string;
  amountMinor: number;
}

export class FundInvariantError extends Error {
  override name = "FundInvariantError";
}

export function amountProblem(amountMinor: number, currency: string): string | undefined {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    return `An amount is a positive whole number of minor units (cents); got ${amountMinor}.`;
  if (amountMinor > MAX_AMOUNT_MINOR)
    return `An amount is at most ${MAX_AMOUNT_MINOR} minor units; got ${amountMinor}.`;
  if (!CURRENCY_PATTERN.test(currency))
    return `A currency is a three-letter ISO 4217 code in capitals, e.g. EUR; got "${currency}".`;
  return undefined;
}

export const contributionEntries = (held: string, contributed: string, amountMinor: number): FundEntry[] => [
  { accountId: held, amountMinor },
  { accountId: contributed, amountMinor: -amountMinor },
];

export const disbursementEntries = (held: string, disbursed: string, amountMinor: number): FundEntry[] => [
  { accountId: held, amountMinor: -amountMinor },
  { accountId: disbursed, amountMinor },
];

/** Throws unless the entries are non-zero whole amounts that sum to zero. */
export function assertBalanced(entries: readonly FundEntry[]): void {
  if (entries.length < 2) throw new FundInvariantError(`A transfer needs at least two entries; got ${entries.length}.`);
  if (entries.some((e) => !Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0))
    throw new FundInvariantError("Entries are non-zero whole minor units.");
  const total = entries.reduce((sum, e) => sum + e.amountMinor, 0);
  if (total !== 0) throw new FundInvariantError(`A transfer's entries sum to ${total} instead of 0.`);
}

export interface AccountState {
  accountId: string;
  kind: FundAccountKind;
  balanceMinor: number;
  entriesSumMinor: number;
}

/** Throws when a cached balance differs from its entries, or the money held went negative. */
export function assertAccountsHold(accounts: readonly AccountState[]): void {
  for (const account of accounts) {
    if (account.balanceMinor !== account.entriesSumMinor)
      throw new FundInvariantError(
        `Account ${account.accountId}: balance ${account.balanceMinor}, entries ${account.entriesSumMinor}.`,
      );
    if (account.kind === "HELD" && account.balanceMinor < 0)
      throw new FundInvariantError(`Account ${account.accountId} holds ${account.balanceMinor}, below zero.`);
  }
}

/** Consent among stewards: one objection declines; enough approvals and no objection approve. */
export function disbursementDecision(
  approvals: number,
  objections: number,
  approvalsNeeded: number,
): "APPROVED" | "DECLINED" | "REQUESTED" {
  if (objections > 0) return "DECLINED";
  return approvals >= approvalsNeeded ? "APPROVED" : "REQUESTED";
}

export interface OutflowRow {
  purpose: Purpose;
  recipientMemberId: string;
  amountMinor: number;
}

export interface PublishedOutflows {
  byPurpose: Array<{ purpose: Purpose; amountMinor: number | null; recipients: number | null }>;
  totalMinor: number | null;
}

/**
 * Totals out by purpose for publication: a purpose paid to fewer than 5 people is suppressed, and
 * the total is shown only if the suppressed purposes together reach 5 people (or none is
 * suppressed), so no suppressed figure can be recovered as the total minus the shown ones.
 */
export function publishOutflows(
  rows: readonly OutflowRow[],
  minPeople = MIN_PEOPLE_PER_PUBLISHED_FIGURE,
): PublishedOutflows {
  const byPurpose = new Map<Purpose, { amountMinor: number; recipients: Set<string> }>();
  for (const row of rows) {
    const cell = byPurpose.get(row.purpose) ?? { amountMinor: 0, recipients: new Set<string>() };
    cell.amountMinor += row.amountMinor;
    cell.recipients.add(row.recipientMemberId);
    byPurpose.set(row.purpose, cell);
  }
  const suppressedRecipients = new Set<string>();
  const cells = [...byPurpose.entries()].map(([purpose, cell]) => {
    const isShown = cell.recipients.size >= minPeople;
    if (!isShown) for (const r of cell.recipients) suppressedRecipients.add(r);
    return {
      purpose,
      amountMinor: isShown ? cell.amountMinor : null,
      recipients: isShown ? cell.recipients.size : null,
    };
  });
  const total = rows.reduce((sum, row) => sum + row.amountMinor, 0);
  const isTotalSafe = suppressedRecipients.size === 0 || suppressedRecipients.size >= minPeople;
  return {
    byPurpose: cells.sort((a, b) => purposes.indexOf(a.purpose) - purposes.indexOf(b.purpose)),
    totalMinor: rows.length > 0 && isTotalSafe ? total : rows.length === 0 ? 0 : null,
  };
}

/** What happened to the fund in one currency during one lunar cycle. */
export interface CycleFlow {
  currency: string;
  /** The cycle's label (the UTC date of its first new moon, YYYY-MM-DD: labels sort as cycles do). */
  cycle: string;
  /** Contributions minus disbursements, in minor units. */
  netMinor: number;
  contributions: number;
  recipientMemberIds: string[];
}

export interface PublishedHolding {
  currency: string;
  /** What the fund held at the end of `asOfCycle`; null when no figure could be published yet. */
  heldMinor: number | null;
  asOfCycle: string | null;
}

/**
 * What the fund held, as members may see it, under the kit's privacy rule for who received money:
 * only at the end of a closed cycle (never live, so a payment moves nothing anyone reads during
 * its cycle), and a new figure replaces the published one only when the payments since then went
 * to nobody (contributions alone moved it) or to at least 5 different people
 * (`mayReplaceSnapshot`), so the difference between two figures never describes one person's
 * payment. Otherwise the older figure stays. Stewards read the live ledger instead.
 */
export function publishedHoldings(
  flows: readonly CycleFlow[],
  currentCycle: string,
  minPeople = MIN_PEOPLE_PER_PUBLISHED_FIGURE,
): PublishedHolding[] {
  const byCurrency = new Map<string, CycleFlow[]>();
  for (const flow of flows) byCurrency.set(flow.currency, [...(byCurrency.get(flow.currency) ?? []), flow]);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, cycles]) => {
      let published: { heldMinor: number; asOfCycle: string } | undefined;
      let publishedMinor = 0;
      let pending = { netMinor: 0, contributions: 0, recipients: new Set<string>() };
      for (const flow of [...cycles].sort((a, b) => a.cycle.localeCompare(b.cycle))) {
        if (flow.cycle >= currentCycle) break;
        pending.netMinor += flow.netMinor;
        pending.contributions += flow.contributions;
        for (const recipient of flow.recipientMemberIds) pending.recipients.add(recipient);
        const recipients = pending.recipients.size;
        const mayReplace =
          recipients === 0 ? pending.contributions > 0 : mayReplaceSnapshot({ joined: recipients, left: 0 }, minPeople);
        if (!mayReplace) continue;
        publishedMinor += pending.netMinor;
        published = { heldMinor: publishedMinor, asOfCycle: flow.cycle };
        pending = { netMinor: 0, contributions: 0, recipients: new Set<string>() };
      }
      return { currency, heldMinor: published?.heldMinor ?? null, asOfCycle: published?.asOfCycle ?? null };
    });
}

/** An amount a member or steward gives: the amount's problem as a refusal. */
export function amountOf<Input extends { amountMinor: number; currency: string }>(input: Input): Verdict<Input> {
  const problem = amountProblem(input.amountMinor, input.currency);
  return problem ? { problem } : input;
}

/** The longest idempotency key a steward sends with a contribution. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;
const NO_PLEDGE = "No pledge with that id in this circle.";

/**
 * A contribution a steward records: a valid amount, a short idempotency key, and when it keeps a
 * pledge, a pledge of the circle (`pledge` is what was found: undefined when none) in its currency.
 */
export function contributionPlan<
  Input extends { amountMinor: number; currency: string; pledgeId?: string | null; idempotencyKey?: string | null },
>(input: Input, pledge: { idWellFormed: boolean; currency: string | undefined }): Verdict<Input> {
  const amount = amountOf(input);
  if (isRefusal(amount)) return amount;
  if (input.pledgeId && !pledge.idWellFormed) return { problem: NO_PLEDGE };
  if (input.idempotencyKey && input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return { problem: `An idempotency key is at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.` };
  if (input.pledgeId) {
    if (pledge.currency === undefined) return { problem: NO_PLEDGE };
    if (pledge.currency !== input.currency)
      return { problem: `That pledge is in ${pledge.currency}, not ${input.currency}.` };
  }
  return input;
}

/** A request for money: a valid amount and a reason of 1 to MAX_REASON_LENGTH characters. */
export function disbursementRequestPlan<Input extends { amountMinor: number; currency: string; reason: string }>(
  input: Input,
): Verdict<Input> {
  const amount = amountOf(input);
  if (isRefusal(amount)) return amount;
  const reason = boundedText("A reason", input.reason, MAX_REASON_LENGTH);
  return isRefusal(reason) ? reason : { ...input, reason };
}

type RequestStatus = "REQUESTED" | "APPROVED" | "DECLINED" | "PAID" | "WITHDRAWN";

/**
 * A steward's approval or objection on a request still open, never on their own: the status it
 * leaves, counting the steward's earlier word as replaced by this one.
 */
export function stewardDecision(
  request: { status: RequestStatus; recipientMemberId: string },
  steward: { memberId: string; approves: boolean },
  decisions: ReadonlyArray<{ stewardMemberId: string; approves: boolean }>,
  approvalsNeeded: number,
): Verdict<{ approves: boolean; status: "APPROVED" | "DECLINED" | "REQUESTED" }> {
  if (request.status !== "REQUESTED")
    return { problem: `This request is already ${request.status}.`, code: "CONFLICT" };
  if (request.recipientMemberId === steward.memberId)
    return { problem: "A steward does not decide a request they would receive.", code: "FORBIDDEN" };
  const votes = [...decisions.filter((d) => d.stewardMemberId !== steward.memberId), { approves: steward.approves }];
  const approvals = votes.filter((v) => v.approves).length;
  return {
    approves: steward.approves,
    status: disbursementDecision(approvals, votes.length - approvals, approvalsNeeded),
  };
}

/** Paying a request: once (a paid one stays paid), only when approved, and only from what the fund holds. */
export function paymentPlan(
  request: { status: RequestStatus; amountMinor: number; currency: string },
  heldMinor: number,
): Verdict<{ pay: boolean }> {
  if (request.status === "PAID") return { pay: false };
  if (request.status !== "APPROVED")
    return { problem: `Only an approved request is paid; this one is ${request.status}.`, code: "CONFLICT" };
  if (heldMinor < request.amountMinor)
    return {
      problem: `The fund holds ${heldMinor} ${request.currency} minor units, less than the ${request.amountMinor} this request needs.`,
    };
  return { pay: true };
}

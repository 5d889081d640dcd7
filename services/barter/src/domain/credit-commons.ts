import { publishIfEnoughPeople } from "@rhizome/kit/rules";
import { formatMinutesAsHours } from "./minutes.js";

/**
 * The Credit Commons tree as this hub's node sees it: pure rules, no SQL, no clock, no HTTP.
 *
 * An account path names a node path from the root, then a ledger (a circle that opted in) and a
 * pseudonymous account code: `trunk/riverside/garden/k3x9q2mwab`. Each node keeps one account per
 * "side" it trades with: its trunkward node, each branch node and each of its own leaf ledgers.
 */

/** One segment of a path: a node, a ledger or an account code. */
export const PATH_SEGMENT = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const MAX_PATH_SEGMENTS = 16;
export const MAX_PATH_LENGTH = 300;
/** What one relayed transaction may move: a day of time, as for an exchange inside a circle. */
export const MAX_REMOTE_MINUTES = 1440;
/** Organizers may let a circle owe or be owed up to 200 hours by the rest of the tree in a cycle. */
export const MAX_TRADE_LIMIT_MINUTES = 200 * 60;
/** A member's account code: 10 characters of base32, 50 bits, drawn at random, never derived from the member. */
export const ACCOUNT_CODE = /^[a-z2-7]{10}$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Where a transaction's party is, seen from this node: a neighbour node or one of its leaf ledgers. */
export type Side = "trunkward" | `branch:${string}` | `ledger:${string}`;

export interface NodeShape {
  /** This node's path from the root, e.g. ["trunk", "riverside"]. */
  path: readonly string[];
  /** The trunkward node's name; undefined when this node is the root. */
  trunkwardName?: string;
  branchNames: readonly string[];
}

export type Route = { side: Side; ledger?: string; accountCode?: string } | { problem: string };

/** The segments of an account or node path, or undefined when it is not one. */
export function pathSegments(path: string): string[] | undefined {
  if (typeof path !== "string" || path.length === 0 || path.length > MAX_PATH_LENGTH) return undefined;
  const segments = path.split("/");
  if (segments.length > MAX_PATH_SEGMENTS || !segments.every((segment) => PATH_SEGMENT.test(segment))) return undefined;
  return segments;
}

/** Which side of this node an account path lies on. */
export function routeOf(path: string, node: NodeShape): Route {
  const segments = pathSegments(path);
  if (!segments)
    return {
      problem: `"${String(path).slice(0, 60)}" is not an account path: lowercase names of letters, digits and dashes separated by "/", node path first, then ledger and account.`,
    };
  const depth = node.path.length;
  const isUnderThisNode = segments.length > depth && node.path.every((segment, index) => segments[index] === segment);
  if (isUnderThisNode) {
    const next = segments[depth];
    if (node.branchNames.includes(next)) return { side: `branch:${next}` };
    if (segments.length === depth + 2)
      return { side: `ledger:${next}`, ledger: next, accountCode: segments[depth + 1] };
    return { problem: `No ledger or branch named "${next}" under ${node.path.join("/")}.` };
  }
  if (node.trunkwardName) return { side: "trunkward" };
  return {
    problem: `No route to "${segments.join("/")}": it is not under ${node.path.join("/")}, the root of this tree.`,
  };
}

/** The side a neighbouring node stands on, from the name it gives in the `cc-node` header. */
export function sideOfNeighbour(name: string, node: NodeShape): Side | undefined {
  if (node.trunkwardName !== undefined && name === node.trunkwardName) return "trunkward";
  if (node.branchNames.includes(name)) return `branch:${name}`;
  return undefined;
}

export const isLedgerSide = (side: string): side is `ledger:${string}` => side.startsWith("ledger:");
export const ledgerOfSide = (side: string): string => side.slice("ledger:".length);

/** The entries a completed transaction writes in the node's own ledger: the payer's side pays, the payee's side receives. */
export function nodeEntries(
  payerSide: Side,
  payeeSide: Side,
  minutes: number,
): Array<{ side: Side; amountMinutes: number }> {
  return [
    { side: payerSide, amountMinutes: -minutes },
    { side: payeeSide, amountMinutes: minutes },
  ];
}

/** Why a ledger name or trade limit cannot be used for a circle joining the tree, or undefined. */
export function joinProblem(ledgerName: string, tradeLimitMinutes: number, node: NodeShape): string | undefined {
  if (!PATH_SEGMENT.test(ledgerName))
    return "A ledger name is 1 to 32 lowercase letters, digits or dashes, starting with a letter or digit.";
  if (node.branchNames.includes(ledgerName) || ledgerName === node.trunkwardName)
    return `"${ledgerName}" is the name of a neighbouring node; choose another ledger name.`;
  if (!Number.isInteger(tradeLimitMinutes) || tradeLimitMinutes < 1 || tradeLimitMinutes > MAX_TRADE_LIMIT_MINUTES)
    return `The balance-of-trade limit is a whole number of minutes from 1 to ${MAX_TRADE_LIMIT_MINUTES} (${formatMinutesAsHours(MAX_TRADE_LIMIT_MINUTES)}).`;
  return undefined;
}

/** Why an amount cannot be relayed, or undefined. */
export function minutesProblem(minutes: number): string | undefined {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_REMOTE_MINUTES)
    return `An exchange with another hub is a whole number of minutes from 1 to ${MAX_REMOTE_MINUTES}.`;
  return undefined;
}

/**
 * Whether moving `deltaMinutes` would take a balance of trade beyond its limit. A move
 * that brings the balance closer to zero always fits, so a circle over its limit can still settle.
 */
export function exceedsTradeLimit(balanceMinutes: number, deltaMinutes: number, limitMinutes: number): boolean {
  const after = balanceMinutes + deltaMinutes;
  return Math.abs(after) > limitMinutes && Math.abs(after) > Math.abs(balanceMinutes);
}

export type TransactionState = "pending" | "completed" | "erased";

/**
 * Why a pending transaction cannot complete now, or undefined. A transaction counts in the lunar
 * cycle it was proposed in, on every ledger it passes; the new moon is the same instant on every
 * hub, so once it has passed every node refuses to complete it, whatever its expiry job has done.
 */
export const ERASED_PROBLEM = "This exchange was declined or cancelled; nothing moved.";
export const LAPSED_PROBLEM =
  "This exchange lapsed at the new moon before both sides consented; nothing moved. Propose it again.";

export function completionProblem(
  transaction: { state: TransactionState; cycle: string },
  currentCycle: string,
  expiredThrough: string | null,
): { code: "CONFLICT"; kind: "erased" | "lapsed"; problem: string } | undefined {
  if (transaction.state === "erased") return { code: "CONFLICT", kind: "erased", problem: ERASED_PROBLEM };
  if (transaction.cycle !== currentCycle || (expiredThrough !== null && expiredThrough >= transaction.cycle))
    return { code: "CONFLICT", kind: "lapsed", problem: LAPSED_PROBLEM };
  return undefined;
}

/**
 * Whether a refusal heard from the payer's side settles a completion in doubt for good: the
 * transaction was erased or lapsed there, so it never completes anywhere.
 */
export function isFinalRefusal(message: string): boolean {
  return message === ERASED_PROBLEM || message === LAPSED_PROBLEM;
}

/**
 * Whether a node may pass on a completion that lapsed by its own clock: only when the payer's side
 * may already have committed it before the new moon. A node with a neighbour on the payer's side
 * asks it (the payer's node answers success only if it completed the transaction in its cycle); the
 * payee's hub does so only for a confirmation that went out before the new moon and is in doubt.
 */
export function mayCompleteLate(input: {
  hasPayerSideNeighbour: boolean;
  fromPayeeMember: boolean;
  inDoubtSince: Date | undefined;
  cycleEndsAt: Date;
}): boolean {
  if (!input.hasPayerSideNeighbour) return false;
  if (!input.fromPayeeMember) return true;
  return input.inDoubtSince !== undefined && input.inDoubtSince.getTime() < input.cycleEndsAt.getTime();
}

/** The `cc-node-trace` a node sends onward: the trace it received, then itself going out. */
export function traceOnward(received: string | undefined, nodeName: string): string {
  return received ? `${received}, >${nodeName}` : `>${nodeName}`;
}

/** The `cc-node-trace` a node answers with: what came back from further on (or what it received), then itself coming back. */
export function traceBack(fromFurther: string | undefined, nodeName: string): string {
  return fromFurther ? `${fromFurther}, <${nodeName}` : `<${nodeName}`;
}

/** A random account code from 10 random bytes (5 bits of each used). */
export function accountCodeFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length < 10) throw new Error("An account code needs 10 random bytes.");
  return Array.from(randomBytes.slice(0, 10), (byte) => BASE32[byte & 31]).join("");
}

/** What the node traded with one side in a closed cycle, as counted from its ledger. */
export interface SideTrade {
  side: string;
  minutesToSide: number;
  minutesFromSide: number;
  /** Distinct account paths on that side that paid or were paid. */
  accountsOnSide: number;
  /** Distinct account paths at the other end of those transactions. */
  counterparts: number;
}

/**
 * The public figure of a side's trade: every number null unless at least 5 distinct accounts on
 * that side and 5 at the other ends took part, so no figure describes one member's trade.
 */
export function publishSideTrade(trade: SideTrade): {
  side: string;
  minutesToSide: number | null;
  minutesFromSide: number | null;
  balanceMinutes: number | null;
  participantCount: number | null;
} {
  const people = Math.min(trade.accountsOnSide, trade.counterparts);
  return {
    side: trade.side,
    minutesToSide: publishIfEnoughPeople(trade.minutesToSide, people),
    minutesFromSide: publishIfEnoughPeople(trade.minutesFromSide, people),
    balanceMinutes: publishIfEnoughPeople(trade.minutesToSide - trade.minutesFromSide, people),
    participantCount: publishIfEnoughPeople(trade.accountsOnSide, people),
  };
}

/** A limit of the payer's own circle that a proposal would pass. */
export type PayerLimit = "BALANCE_FLOOR" | "TRADE_LIMIT";

/**
 * Whether a payment of `minutes` cannot fit the payer's side as it stands: their balance would go
 * below their circle's floor, or the circle's balance of trade with other hubs past its limit. A
 * proposal that cannot fit is refused at once; one that fits now is checked again, with its rows
 * locked, at confirmation. Only the payer is told, with their own figures.
 */
export function payerProposalProblem(
  standing: {
    memberBalanceMinutes: number;
    floorMinutes: number;
    remoteBalanceMinutes: number;
    tradeLimitMinutes: number;
  },
  minutes: number,
): { limit: PayerLimit; problem: string } | undefined {
  if (standing.memberBalanceMinutes - minutes < standing.floorMinutes)
    return {
      limit: "BALANCE_FLOOR",
      problem: `This would take your balance below your circle's floor of ${formatMinutesAsHours(standing.floorMinutes)} (your balance ${formatMinutesAsHours(standing.memberBalanceMinutes)}); nothing was proposed.`,
    };
  if (exceedsTradeLimit(standing.remoteBalanceMinutes, minutes, standing.tradeLimitMinutes))
    return {
      limit: "TRADE_LIMIT",
      problem:
        "This would take the balance of trade between your circle and other hubs beyond the limit its organizers set for this cycle; nothing was proposed. Try fewer minutes, or after the new moon.",
    };
  return undefined;
}

import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { blockLevelPlace } from "./places.js";
/** D2: the rules of the alert tree, as pure functions of plain values. */
export const alertKinds = ["EVICTION", "RAID", "ARREST", "MEDICAL", "OTHER"] as const;
export type AlertKind = (typeof alertKinds)[number];
export const urgencies = ["LOW", "HIGH", "CRITICAL"] as const;
export type Urgency = (typeof urgencies)[number];
export const alertStatuses = ["OPEN", "VERIFIED", "FALSE_ALARM", "EXPIRED"] as const;
export type AlertStatus = (typeof alertStatuses)[number];
export const contactKinds = ["INBOX", "SMS", "SIGNAL", "EMAIL"] as const;
export type ContactKind = (typeof contactKinds)[number];

export const MAX_ALERT_TEXT_LENGTH = 280;
export const MAX_CONTACT_LENGTH = 120;
export const MAX_SHIFTS_PER_RESPONDER = 21;
export const MAX_BRANCH_DEPTH = 6;
export const DEFAULT_VERIFICATIONS_NEEDED = 2;
export const DEFAULT_CALL_TIMEOUT_MINUTES = 5;
export const DEFAULT_FUND_APPROVALS_NEEDED = 2;
/**
 * A new alert asks the circle's verifications-needed number of trusted responders, and this many
 * more (one may be asleep), to verify it; only they (and trusted responders the tree called) read it.
 */
export const VERIFIERS_ASKED_BEYOND_NEEDED = 1;

/**
 * The steps of an alert's log that are about the alert itself, not about one responder: what
 * everyone who reads the alert sees (a verification without whose it was). A responder's own steps
 * are shown to them; every other call, answer, silence or exhausted chain only to whoever raised it,
 * never with whose it was.
 */
export const ALERT_LEVEL_LOG_KINDS: ReadonlySet<string> = new Set([
  "RAISED",
  "VERIFIED",
  "BROADCAST",
  "FALSE_ALARM",
  "EXPIRED",
  "NO_RESPONDERS",
]);

/** Which log steps a reader of an alert sees: every step for its raiser, else the alert's own and the reader's. */
export function isLogStepShown(
  step: { kind: string; responderId: string | null },
  reader: { isRaiser: boolean; responderId: string | undefined },
): boolean {
  if (reader.isRaiser) return true;
  if (step.responderId !== null && step.responderId === reader.responderId) return true;
  return ALERT_LEVEL_LOG_KINDS.has(step.kind);
}

/** How many alerts one member may raise in a circle within ALERT_RATE_WINDOW_MINUTES; more are refused (RATE_LIMITED). */
export const MAX_ALERTS_PER_MEMBER_PER_WINDOW = 5;
export const ALERT_RATE_WINDOW_MINUTES = 60;

/** The fixed window of the hub's clock an alert raised at `now` counts in, and when it ends. */
export function alertRateWindow(now: Date): { index: number; endsAt: Date } {
  const windowMs = ALERT_RATE_WINDOW_MINUTES * 60_000;
  const index = Math.floor(now.getTime() / windowMs);
  return { index, endsAt: new Date((index + 1) * windowMs) };
}

export function alertRateProblem(raisedInWindow: number, windowEndsAt: Date): string | undefined {
  if (raisedInWindow <= MAX_ALERTS_PER_MEMBER_PER_WINDOW) return undefined;
  return `You can raise at most ${MAX_ALERTS_PER_MEMBER_PER_WINDOW} alerts in ${ALERT_RATE_WINDOW_MINUTES} minutes in a circle; this one was not raised. You can raise again from ${windowEndsAt.toISOString()}.`;
}

/** At most this many deliveries of one circle are in flight at once across every process, so a slow endpoint cannot hold every worker. */
export const MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE = 2;
/** At most this many due deliveries of one circle are handed back to the queue by one sweep. */
export const MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP = 20;

/** How long an alert stays open before it expires, by urgency. */
export const ALERT_LIFETIME_MINUTES: Record<Urgency, number> = { LOW: 24 * 60, HIGH: 12 * 60, CRITICAL: 6 * 60 };

/** A weekly on-call window in UTC: weekday 0 (Monday) to 6, minutes from midnight, end after start. */
export interface Shift {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export function shiftsProblem(shifts: readonly Shift[]): string | undefined {
  if (shifts.length > MAX_SHIFTS_PER_RESPONDER)
    return `A responder has at most ${MAX_SHIFTS_PER_RESPONDER} shifts a week; got ${shifts.length}.`;
  for (const shift of shifts) {
    if (!Number.isInteger(shift.weekday) || shift.weekday < 0 || shift.weekday > 6)
      return `A shift's weekday is 0 (Monday) to 6 (Sunday); got ${shift.weekday}.`;
    if (
      !Number.isInteger(shift.startMinute) ||
      !Number.isInteger(shift.endMinute) ||
      shift.startMinute < 0 ||
      shift.endMinute > 1440 ||
      shift.endMinute <= shift.startMinute
    ) {
      return `A shift runs from startMinute to a later endMinute within one day (0 to 1440); got ${shift.startMinute} to ${shift.endMinute}.`;
    }
  }
  return undefined;
}

export function isOnShift(shifts: readonly Shift[], now: Date): boolean {
  const weekday = (now.getUTCDay() + 6) % 7;
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  return shifts.some((shift) => shift.weekday === weekday && shift.startMinute <= minute && minute < shift.endMinute);
}

export interface TreeResponder {
  id: string;
  memberId: string;
  branchId: string;
  position: number;
  shifts: readonly Shift[];
}

/** Who is called first: on shift now, then those who keep no shifts (always reachable), then the rest; by joining order within each. */
export function callOrder<R extends TreeResponder>(responders: readonly R[], now: Date): R[] {
  const rank = (responder: R) => (isOnShift(responder.shifts, now) ? 0 : responder.shifts.length === 0 ? 1 : 2);
  return [...responders].sort((a, b) => rank(a) - rank(b) || a.position - b.position);
}

export interface TreeBranch {
  id: string;
  parentBranchId: string | null;
}

/** A branch and its ancestors, nearest first: where an unanswered call climbs. */
export function chainOf(branchId: string, branches: ReadonlyMap<string, TreeBranch>): string[] {
  const chain: string[] = [];
  for (
    let id: string | null = branchId;
    id && !chain.includes(id) && chain.length <= MAX_BRANCH_DEPTH;
    id = branches.get(id)?.parentBranchId ?? null
  )
    chain.push(id);
  return chain;
}

/**
 * The next responder of a chain to call: the first, in call order, of the chain's branch and then of
 * each branch up the tree, who has not been called for this alert. Whoever raised the alert is not
 * skipped: the tree cannot know who raised it, and skipping them would show a responder that the
 * head of their branch raised it. Their own call simply goes unanswered and escalates, like any.
 */
export function nextResponderInChain<R extends TreeResponder>(
  chain: readonly string[],
  responders: readonly R[],
  alreadyCalled: ReadonlySet<string>,
  now: Date,
): R | undefined {
  for (const branchId of chain) {
    const next = callOrder(
      responders.filter((r) => r.branchId === branchId),
      now,
    ).find((r) => !alreadyCalled.has(r.id));
    if (next) return next;
  }
  return undefined;
}

/** The first calls of an alert: the head of every branch that has a responder to call. */
export function firstCalls<R extends TreeResponder>(
  branches: readonly TreeBranch[],
  responders: readonly R[],
  now: Date,
): Array<{ branchId: string; responder: R }> {
  const called = new Set<string>();
  const calls: Array<{ branchId: string; responder: R }> = [];
  for (const branch of branches) {
    const head = nextResponderInChain([branch.id], responders, called, now);
    if (head) {
      called.add(head.id);
      calls.push({ branchId: branch.id, responder: head });
    }
  }
  return calls;
}

export function isVerifiedBy(verifications: number, verificationsNeeded: number): boolean {
  return verifications >= verificationsNeeded;
}

/** A webhook's signature: HMAC-SHA256 over `timestamp.body`, hex, as `sha256=<hex>`. */
export const SIGNATURE_HEADER = "x-rhizome-signature";
export const TIMESTAMP_HEADER = "x-rhizome-timestamp";
export const DELIVERY_HEADER = "x-rhizome-delivery";
export const MAX_WEBHOOK_ATTEMPTS = 6;

/** When attempt `attempts + 1` is due after `attempts` failed ones: the base doubled each time. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attempts - 1);
}

/** What is wrong with a webhook URL as written (its host's addresses are checked apart, see domain/addresses.ts). */
export function webhookUrlProblem(raw: string, isProduction: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "A webhook URL is an absolute http(s) URL, e.g. https://sms.example.org/rhizome.";
  }
  if (raw.length > 500) return "A webhook URL is at most 500 characters.";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !isProduction)) return "A webhook URL must use https.";
  if (url.username || url.password)
    return "A webhook URL cannot carry a user name or password; the signature authenticates the hub.";
  return undefined;
}

/**
 * A trusted responder's verification: refused on a closed alert, nothing more to do on a verified
 * one, and otherwise recorded, broadcasting the alert when it is the one that reaches the threshold.
 */
export function verificationPlan(
  alert: { status: AlertStatus; closedAt: Date | null },
  tally: { verifications: number; alreadyVerified: boolean; verificationsNeeded: number },
): Verdict<{ record: boolean; broadcast: boolean }> {
  if (alert.closedAt)
    return { problem: `This alert is closed (${alert.status}); it can no longer be verified.`, code: "CONFLICT" };
  if (alert.status === "VERIFIED") return { record: false, broadcast: false };
  const verifications = tally.verifications + (tally.alreadyVerified ? 0 : 1);
  return { record: true, broadcast: isVerifiedBy(verifications, tally.verificationsNeeded) };
}

/** A false alarm closes an open alert; a closed one stays as it is. */
export function falseAlarmPlan<Alert extends { status: AlertStatus; closedAt: Date | null }>(
  alert: Alert,
): Verdict<Alert> {
  if (alert.closedAt) return { problem: `This alert is already closed (${alert.status}).`, code: "CONFLICT" };
  return alert;
}

/** What a member reports when they raise an alert: a block-level place and 1 to MAX_ALERT_TEXT_LENGTH characters. */
export function alertReport<Input extends { place: string; text: string }>(
  input: Input,
): Verdict<Input & { geohash: string }> {
  const place = blockLevelPlace(input.place);
  if (isRefusal(place)) return place;
  const text = boundedText("An alert's text", input.text, MAX_ALERT_TEXT_LENGTH);
  if (isRefusal(text)) return text;
  return { ...input, geohash: place.geohash, text };
}

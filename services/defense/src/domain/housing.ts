import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { MAX_CONTACT_LENGTH } from "./alerts.js";
import { blockLevelPlace } from "./places.js";

/** D5: housing pledges matched to requests. Dates are whole days (YYYY-MM-DD); nobody gives an address. */
export const MAX_HOUSING_PEOPLE = 20;
export const MAX_HOUSING_DAYS = 365;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function dayProblem(day: string, what: string): string | undefined {
  if (
    !DAY_PATTERN.test(day) ||
    Number.isNaN(new Date(`${day}T00:00:00Z`).getTime()) ||
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
  ) {
    return `${what} is a date written YYYY-MM-DD; got "${day}".`;
  }
  return undefined;
}

export function periodProblem(from: string, until: string, today: string): string | undefined {
  const problem = dayProblem(from, "The first day") ?? dayProblem(until, "The last day");
  if (problem) return problem;
  if (until < from) return `The last day (${until}) comes before the first (${from}).`;
  if (until < today) return `The period ends (${until}) before today (${today}).`;
  const days = (Date.parse(until) - Date.parse(from)) / 86_400_000;
  if (days > MAX_HOUSING_DAYS) return `A period is at most ${MAX_HOUSING_DAYS} days; this one is ${days}.`;
  return undefined;
}

export interface PledgeTerms {
  capacity: number;
  committedPeople: number;
  availableFrom: string;
  availableUntil: string;
  acceptsChildren: boolean;
  acceptsPets: boolean;
  isStepFree: boolean;
}

export interface RequestNeeds {
  people: number;
  neededFrom: string;
  neededUntil: string;
  withChildren: boolean;
  withPets: boolean;
  needsStepFree: boolean;
}

export const roomLeft = (pledge: Pick<PledgeTerms, "capacity" | "committedPeople">) =>
  pledge.capacity - pledge.committedPeople;

/** Whether a pledge can take a request: room, the whole period, and every constraint. */
export function fits(pledge: PledgeTerms, request: RequestNeeds): boolean {
  return (
    roomLeft(pledge) >= request.people &&
    pledge.availableFrom <= request.neededFrom &&
    pledge.availableUntil >= request.neededUntil &&
    (!request.withChildren || pledge.acceptsChildren) &&
    (!request.withPets || pledge.acceptsPets) &&
    (!request.needsStepFree || pledge.isStepFree)
  );
}

/** The longest contact detail a host or guest gives, in characters. */
export const MAX_HOUSING_CONTACT_LENGTH = MAX_CONTACT_LENGTH;
export const NO_HOUSING_PLEDGE = "No housing pledge with that id in your circles.";

function peopleProblem(people: number, what: string): string | undefined {
  if (!Number.isInteger(people) || people < 1 || people > MAX_HOUSING_PEOPLE)
    return `${what} is 1 to ${MAX_HOUSING_PEOPLE} people; got ${people}.`;
  return undefined;
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/** A pledge of housing: 1 to 20 people, a period not over, at most a block-level area, and a contact. */
export function housingPledgePlan<
  Input extends {
    capacity: number;
    availableFrom: string;
    availableUntil: string;
    area?: string | null;
    contact: string;
  },
>(input: Input, now: Date): Verdict<Input & { areaGeohash: string | null }> {
  const problem =
    peopleProblem(input.capacity, "A pledge's capacity") ??
    periodProblem(input.availableFrom, input.availableUntil, today(now));
  if (problem) return { problem };
  let areaGeohash: string | null = null;
  if (input.area) {
    const place = blockLevelPlace(input.area);
    if (isRefusal(place)) return place;
    areaGeohash = place.geohash;
  }
  const contact = boundedText("A contact", input.contact, MAX_HOUSING_CONTACT_LENGTH);
  return isRefusal(contact) ? contact : { ...input, areaGeohash, contact };
}

/** A request for housing: 1 to 20 people, a period not over, and a contact. */
export function housingRequestPlan<
  Input extends { people: number; neededFrom: string; neededUntil: string; contact: string },
>(input: Input, now: Date): Verdict<Input> {
  const problem =
    peopleProblem(input.people, "A request") ?? periodProblem(input.neededFrom, input.neededUntil, today(now));
  if (problem) return { problem };
  const contact = boundedText("A contact", input.contact, MAX_HOUSING_CONTACT_LENGTH);
  return isRefusal(contact) ? contact : { ...input, contact };
}

/** The requester proposes a pledge of the circle that fits their open request. */
export function matchProposal<
  Request extends RequestNeeds & { status: string; circleId: string },
  Pledge extends PledgeTerms & { circleId: string; withdrawnAt: Date | null },
>(request: Request, pledge: Pledge | undefined): Verdict<{ request: Request; pledge: Pledge }> {
  if (!pledge || pledge.circleId !== request.circleId) return { problem: NO_HOUSING_PLEDGE };
  if (request.status !== "OPEN") return { problem: `This request is ${request.status}.`, code: "CONFLICT" };
  if (pledge.withdrawnAt || !fits(pledge, request))
    return { problem: "That pledge does not fit this request (room, dates or constraints).", code: "CONFLICT" };
  return { request, pledge };
}

interface MatchState {
  status: "SUGGESTED" | "CONFIRMED" | "DECLINED";
  people: number;
  hostMemberId: string;
  guestMemberId: string;
  hostAcceptedAt: Date | null;
  guestAcceptedAt: Date | null;
}

/** What one party's acceptance does: nothing on a confirmed match, their acceptance, and the confirmation once both accepted. */
export type AcceptancePlan = { kind: "unchanged" } | { kind: "accept" | "confirm"; side: "host" | "guest" };

export function acceptancePlan(
  match: MatchState,
  pledge: Pick<PledgeTerms, "capacity" | "committedPeople">,
  requestStatus: string,
  memberId: string,
): Verdict<AcceptancePlan> {
  if (match.status === "CONFIRMED") return { kind: "unchanged" };
  if (match.status !== "SUGGESTED") return { problem: `This match is ${match.status}.`, code: "CONFLICT" };
  const side = memberId === match.hostMemberId ? "host" : memberId === match.guestMemberId ? "guest" : undefined;
  if (!side) return { problem: "Only the host and the guest of a match answer it.", code: "FORBIDDEN" };
  const hostAccepted = side === "host" || match.hostAcceptedAt !== null;
  const guestAccepted = side === "guest" || match.guestAcceptedAt !== null;
  if (!hostAccepted || !guestAccepted) return { kind: "accept", side };
  if (roomLeft(pledge) < match.people)
    return {
      problem: `The pledge no longer has room for ${match.people}; its capacity is already promised to others.`,
      code: "CONFLICT",
    };
  if (requestStatus !== "OPEN") return { problem: `The request is already ${requestStatus}.`, code: "CONFLICT" };
  return { kind: "confirm", side };
}

/** The host or the guest declines a match still suggested. */
export function declinePlan<Match extends MatchState>(match: Match): Verdict<Match> {
  if (match.status !== "SUGGESTED") return { problem: `This match is ${match.status}.`, code: "CONFLICT" };
  return match;
}

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

import { badInput, forbidden, requireOwnedRow, type Membership, type MemberBloc } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { boundedText } from "../domain/limits.js";
import { countedBlocWhileChanging } from "../store/bloc-changes.js";

type Loader<Row> = { load(id: string): Promise<Row | undefined> };

/** A row of the caller's circles, or NOT_FOUND (the same answer as a wrong id). */
export async function owned<Row extends { circleId: string }>(
  loader: Loader<Row>,
  id: string,
  context: GovernanceContext,
  thing: string,
): Promise<{ row: Row; membership: Membership }> {
  return requireOwnedRow(context.caller, await loader.load(id), `No ${thing} with that id in your circles.`);
}

/** Text trimmed and within its limit, or BAD_USER_INPUT naming the limit. */
export function text(what: string, raw: string, max: number): string {
  const checked = boundedText(what, raw, max);
  if ("problem" in checked) throw badInput(checked.problem);
  return checked.text;
}

/**
 * The caller's bloc as governance counts it: asked of network at this moment, except while a change
 * of theirs waits for the new moon's job here, when it is the bloc they are counted under until then
 * (so that job moves their seats and relations from one bloc to the other exactly once). Never
 * stored beyond what the rule needs.
 */
export async function blocOfCaller(context: GovernanceContext, membership: Membership): Promise<MemberBloc> {
  const bloc = await context.blocOf(membership.circleId, membership.memberId);
  if (!bloc) throw forbidden("Network does not know you as a present member of this circle.");
  return (await countedBlocWhileChanging(context.db, membership.circleId, membership.memberId)) ?? bloc;
}

/** An instant a client sent, checked to lie within (earliest, latest]. */
export function futureInstant(what: string, value: Date, now: Date, latestMs: number): Date {
  if (Number.isNaN(value.getTime())) throw badInput(`${what} is not a valid instant.`);
  if (value.getTime() <= now.getTime()) throw badInput(`${what} must be in the future (now is ${now.toISOString()}).`);
  if (value.getTime() > now.getTime() + latestMs)
    throw badInput(`${what} is at most ${Math.round(latestMs / 86_400_000)} days ahead.`);
  return value;
}

import { badInput, conflict, defineAction, isUuid, notFound, requireMembership, type Membership } from "@rhizome/kit";
import {
  idempotencyKeyProblem,
  MAX_EXCHANGE_MINUTES,
  MAX_EXCHANGE_NOTE_LENGTH,
  MIN_EXCHANGE_MINUTES,
} from "../domain/exchanges.js";
import { normaliseSkill } from "../domain/skills.js";
import type { BarterContext } from "../context.js";
import {
  insertSisterExchange,
  shareSisterListing,
  sisterExchangeWithKey,
  type OpenSisterListing,
  type SisterExchange,
} from "../store/sisters.js";
import { lockActingMember } from "./acting-member.js";

export const NO_SUCH_SISTER_LISTING = "No listing with that id is open to your circle.";
const KEY_REUSED =
  "This idempotency key was already used for a different sister exchange; use a new key for a new exchange.";

export interface ProposeSisterExchangeInput {
  circleId: string;
  listingId: string;
  minutes: number;
  skill?: string | null;
  note?: string | null;
  idempotencyKey?: string | null;
}

interface SisterProposal {
  listingId: string;
  minutes: number;
  /** Null: the listing's first skill. */
  skill: string | null;
  note: string;
  idempotencyKey: string | null;
}

function sisterProposal(input: ProposeSisterExchangeInput) {
  const { minutes } = input;
  if (!Number.isInteger(minutes) || minutes < MIN_EXCHANGE_MINUTES || minutes > MAX_EXCHANGE_MINUTES)
    return { problem: `An exchange is ${MIN_EXCHANGE_MINUTES} to ${MAX_EXCHANGE_MINUTES} minutes; got ${minutes}.` };
  const skill = input.skill == null ? null : normaliseSkill(input.skill);
  if (skill && "problem" in skill) return skill;
  const note = (input.note ?? "").trim();
  if (note.length > MAX_EXCHANGE_NOTE_LENGTH)
    return { problem: `The note is ${note.length} characters; keep it to ${MAX_EXCHANGE_NOTE_LENGTH}.` };
  const idempotencyKey = input.idempotencyKey ?? null;
  const keyProblem = idempotencyKeyProblem(idempotencyKey);
  if (keyProblem) return { problem: keyProblem };
  return { listingId: input.listingId, minutes, skill: skill?.skill ?? null, note, idempotencyKey };
}

/** Whether a retried proposal with the same key asks for the same sister exchange. */
function isSameSisterProposal(earlier: SisterExchange, proposal: SisterProposal): boolean {
  return (
    earlier.listingId === proposal.listingId &&
    earlier.minutes === proposal.minutes &&
    earlier.note === proposal.note &&
    (proposal.skill === null || earlier.skill === proposal.skill)
  );
}

/** The first attempt's exchange for a retry with the same key, or undefined; CONFLICT when the key was used for another. */
async function earlierWithKey(
  tx: Parameters<typeof sisterExchangeWithKey>[0],
  memberId: string,
  proposal: SisterProposal,
): Promise<SisterExchange | undefined> {
  if (!proposal.idempotencyKey) return undefined;
  const earlier = await sisterExchangeWithKey(tx, memberId, proposal.idempotencyKey);
  if (earlier && !isSameSisterProposal(earlier, proposal)) throw conflict(KEY_REUSED);
  return earlier;
}

/** Who provides and who receives: against an OFFER the proposer receives, against a REQUEST they provide. */
function sides(listing: OpenSisterListing, proposer: Membership) {
  const publisher = { circleId: listing.circleId, memberId: listing.memberId };
  const asker = { circleId: proposer.circleId, memberId: proposer.memberId };
  return listing.kind === "OFFER" ? { provider: publisher, receiver: asker } : { provider: asker, receiver: publisher };
}

/**
 * A member proposes an exchange against a listing a member of an active sister circle showed to
 * sisters. The listing's member confirms or declines, as for any exchange. A retry with the same
 * key answers with what the first attempt made, even if the listing was withdrawn since.
 */
export const proposeSisterExchange = defineAction<
  BarterContext,
  ProposeSisterExchangeInput,
  Membership,
  SisterProposal,
  SisterExchange
>({
  authorize: ({ caller }, input) => requireMembership(caller, input.circleId),
  decide: (input) => sisterProposal(input),
  apply: async ({ tx, now }, proposal, membership) => {
    if (!isUuid(proposal.listingId)) throw notFound(NO_SUCH_SISTER_LISTING);
    await lockActingMember(tx, membership, now);
    const earlier = await earlierWithKey(tx, membership.memberId, proposal);
    if (earlier) return earlier;
    const listing = await shareSisterListing(tx, proposal.listingId, membership.circleId);
    if (!listing || !listing.hasPublisherAccount || listing.publisherClosedAt) throw notFound(NO_SUCH_SISTER_LISTING);
    const skill = proposal.skill ?? listing.skills[0];
    if (!listing.skills.includes(skill))
      throw badInput(`This listing is for ${listing.skills.join(", ")}; choose one of those skills.`);
    const inserted = await insertSisterExchange(
      tx,
      {
        ...proposal,
        ...sides(listing, membership),
        linkId: listing.linkId,
        proposerMemberId: membership.memberId,
        skill,
      },
      now,
    );
    return inserted ?? (await earlierWithKey(tx, membership.memberId, proposal))!;
  },
});

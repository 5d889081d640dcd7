import {
  defineAction,
  membershipIn,
  notFound,
  revealWitnessSeed,
  witnessedDrawsByIds,
  type ActionStep,
  type Queryable,
  type WitnessedDrawRecord,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";

export interface RevealDrawSeedInput {
  drawId: string;
  seed: string;
}

/** A role's draw (of any circle), or NOT_FOUND: what the public draw queries read. */
export async function roleDraw(db: Queryable, id: string): Promise<WitnessedDrawRecord> {
  const [draw] = await witnessedDrawsByIds(db, [id]);
  if (!draw || !draw.purpose.startsWith("role:")) throw notFound("No draw with that id.");
  return draw;
}

/**
 * A witness reveals their seed after the pool was frozen, checked in public against their commitment.
 * The draw must be of one of the caller's circles (otherwise NOT_FOUND, like a wrong id). The kit's
 * witness functions own their transaction, so the reveal is written through the data source.
 */
export const revealDrawSeed = defineAction({
  async authorize({ caller, tx }: ActionStep<GovernanceContext>, input: RevealDrawSeedInput) {
    const [draw] = await witnessedDrawsByIds(tx, [input.drawId]);
    const membership = draw?.purpose.startsWith("role:") ? membershipIn(caller, draw.circleId) : undefined;
    if (!draw || !membership) throw notFound("No draw with that id in your circles.");
    return { draw, memberId: membership.memberId };
  },
  decide: (input: RevealDrawSeedInput) => input,
  async apply({ context, tx, now }, input, { draw, memberId }) {
    await revealWitnessSeed(context.db, draw.id, memberId, input.seed, now);
    return (await witnessedDrawsByIds(tx, [draw.id]))[0];
  },
});

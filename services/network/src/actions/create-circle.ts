import { conflict, defineAction, emitEvent, forbidden, unauthenticated, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import type { Bloc } from "../domain/bloc.js";
import { foundingRefusal } from "../domain/founding.js";
import { hashPassphrase } from "../passphrases.js";
import { insertCircle, type CircleRow } from "../store/circles.js";
import { insertMember, insertPerson, type MemberRow } from "../store/members.js";
import { openSession, type SessionTokens } from "./sessions.js";

export interface CreateCircleInput {
  slug: string;
  name: string;
  founderHandle: string;
  passphrase: string;
  founderBloc: Bloc;
}

export interface CircleFounding extends SessionTokens {
  circle: CircleRow;
  member: MemberRow;
}

/**
 * A circle and its founder, its first organizer (a new person unless a person founds it), with
 * `circle.founded` and `member.joined` recorded and the founder's session opened in one transaction.
 */
const foundCircle = defineAction({
  authorize: ({ context, caller }: ActionStep<NetworkContext>) => {
    const refusal = foundingRefusal(context.config.CIRCLE_FOUNDING, caller.kind);
    if (refusal)
      throw refusal.code === "UNAUTHENTICATED" ? unauthenticated(refusal.message) : forbidden(refusal.message);
    return caller.kind === "person" ? caller.personId : undefined;
  },
  decide: (input: Omit<CreateCircleInput, "passphrase"> & { passphraseHash: string }) => ({
    ...input,
    name: input.name.trim(),
  }),
  apply: async ({ context, tx, now }, founding, founderPersonId): Promise<CircleFounding> => {
    const circle = await insertCircle(tx, { slug: founding.slug, name: founding.name }, now);
    if (!circle) throw conflict(`The slug "${founding.slug}" is taken; choose another.`);
    const personId = founderPersonId ?? (await insertPerson(tx, now));
    const { founderHandle: handle, passphraseHash, founderBloc: bloc } = founding;
    const member = await insertMember(
      tx,
      { circleId: circle.id, personId, handle, passphraseHash, bloc, roles: ["member", "organizer"] },
      now,
    );
    if (!member) throw new Error("a new circle already had a member");
    await emitEvent(tx, "circle.founded", { circleId: circle.id }, now);
    await emitEvent(tx, "member.joined", { circleId: circle.id, memberId: member.id }, now);
    return { circle, member, ...(await openSession(context, tx, { personId, memberId: member.id }, now)) };
  },
  emitsEvents: true,
});

/** Founds a circle. The passphrase is hashed (argon2, tens of milliseconds) before the transaction, so no connection waits on it. */
export async function createCircle(context: NetworkContext, input: CreateCircleInput): Promise<CircleFounding> {
  const { passphrase, ...founding } = input;
  return foundCircle(context, { ...founding, passphraseHash: await hashPassphrase(passphrase) });
}

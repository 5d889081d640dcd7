import { conflict, defineAction, emitEvent, hashSecret, notFound, type ActionStep, type Verdict } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import type { Bloc } from "../domain/bloc.js";
import { invitationProblem } from "../domain/invitations.js";
import { hashPassphrase } from "../passphrases.js";
import { lockCircle } from "../store/circles.js";
import { countInvitationUse, lockInvitationByCodeHash, type InvitationRow } from "../store/invitations.js";
import { hasMembershipIn, insertMember, insertPerson, type MemberRow } from "../store/members.js";
import { openSession, type SessionTokens } from "./sessions.js";

export interface JoinCircleInput {
  code: string;
  handle: string;
  passphrase: string;
  bloc: Bloc;
}

type Joining = Omit<JoinCircleInput, "passphrase"> & { passphraseHash: string };

interface InvitationInHand {
  invitation: InvitationRow;
  /** The person joining when logged in; a new person is created otherwise. */
  personId: string | undefined;
  isMember: boolean;
}

/**
 * Uses an invitation: a new membership for the person (a new person when nobody is logged in), the
 * invitation's use counted, `member.joined` recorded and the session opened, in one transaction. The
 * invitation row is locked, so its last use goes to one joiner only.
 */
const joinWithInvitation = defineAction({
  authorize: async ({ caller, tx }: ActionStep<NetworkContext>, input: Joining): Promise<InvitationInHand> => {
    const invitation = await lockInvitationByCodeHash(tx, hashSecret(input.code.trim()));
    if (!invitation) throw notFound("No invitation has that code. Check it, or ask an organizer for a new one.");
    await lockCircle(tx, invitation.circleId, "shared");
    const personId = caller.kind === "person" ? caller.personId : undefined;
    const isMember = personId !== undefined && (await hasMembershipIn(tx, personId, invitation.circleId));
    return { invitation, personId, isMember };
  },
  decide: (input, { invitation, isMember }, now): Verdict<Joining> => {
    const problem = invitationProblem(invitation, now);
    if (problem) return { problem };
    if (isMember) return { problem: "You are already a member of this circle.", code: "CONFLICT" };
    return input;
  },
  apply: async ({ context, tx, now }, joining, { invitation, personId: knownPersonId }) => {
    const personId = knownPersonId ?? (await insertPerson(tx, now));
    const { handle, passphraseHash, bloc } = joining;
    const member = await insertMember(
      tx,
      { circleId: invitation.circleId, personId, handle, passphraseHash, bloc, roles: ["member"] },
      now,
    );
    if (!member) throw conflict(`The handle "${handle}" is taken in this circle; choose another.`);
    await countInvitationUse(tx, invitation.id);
    await emitEvent(tx, "member.joined", { circleId: member.circleId, memberId: member.id }, now);
    return { member, ...(await openSession(context, tx, { personId, memberId: member.id }, now)) };
  },
  emitsEvents: true,
});

/** Joins a circle. The passphrase is hashed (argon2, tens of milliseconds) before the transaction, so no connection waits on it. */
export async function joinCircle(
  context: NetworkContext,
  input: JoinCircleInput,
): Promise<SessionTokens & { member: MemberRow }> {
  const { passphrase, ...joining } = input;
  return joinWithInvitation(context, { ...joining, passphraseHash: await hashPassphrase(passphrase) });
}

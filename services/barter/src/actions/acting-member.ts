import { forbidden, type Membership, type Queryable } from "@rhizome/kit";
import { LEFT_THE_CIRCLE } from "../domain/confirmation.js";
import { lockActingAccount, type MemberAccount } from "../store/accounts.js";

/**
 * The account of a member who acts (publishes, proposes, organizes), opened on first sight and
 * locked for the action's transaction; a member who left the circle is FORBIDDEN.
 */
export async function lockActingMember(
  tx: Queryable,
  membership: Pick<Membership, "circleId" | "memberId">,
  now: Date,
  mode: "update" | "share" = "share",
): Promise<MemberAccount> {
  const account = await lockActingAccount(tx, membership.circleId, membership.memberId, now, mode);
  if (account.closedAt) throw forbidden(LEFT_THE_CIRCLE);
  return account;
}

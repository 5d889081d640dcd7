import { forbidden, requireOwned, type Membership, type Queryable } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { hearingsByIds, shiftsOf, type HearingRow, type ShiftRow } from "../store/hearings.js";

/** A hearing as its reader sees it: the row, its shifts, and its companions for the person facing it. */
export interface HearingView {
  hearing: HearingRow;
  shifts: ShiftRow[];
  memberId: string;
  companions: string[] | null;
}

export async function hearingView(
  db: Queryable,
  hearing: HearingRow,
  memberId: string,
  companions: string[] | null = null,
): Promise<HearingView> {
  return { hearing, shifts: await shiftsOf(db, [hearing.id], memberId), memberId, companions };
}

/** A hearing of the caller's circles that the caller faces: NOT_FOUND across circles, FORBIDDEN for anyone else. */
export async function requireOwnHearing(
  context: DefenseContext,
  tx: Queryable,
  hearingId: string,
): Promise<{ row: HearingRow; membership: Membership }> {
  const owned = await requireOwned(
    context.caller,
    hearingId,
    async (id) => (await hearingsByIds(tx, [id]))[0],
    "No hearing with that id in your circles.",
  );
  if (owned.row.scheduledByMemberId !== owned.membership.memberId)
    throw forbidden("Only the person facing a hearing shares its notes.");
  return owned;
}

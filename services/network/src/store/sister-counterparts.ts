import { sqlRows, type Membership, type Queryable } from "@rhizome/kit";

/** Records one side of a confirmed sister exchange: its member and their circle. Idempotent. */
export async function recordSisterExchangeParty(
  tx: Queryable,
  party: { exchangeId: string; circleId: string; memberId: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO sister_exchange_parties (exchange_id, member_id, circle_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [party.exchangeId, party.memberId, party.circleId],
  );
}

/**
 * The handle of the other party of a confirmed sister exchange, for a caller who is one of its two
 * parties now (a member who left reads nothing); undefined for anyone else. The other party must be
 * of another circle: this reveals a handle across circles and nothing more.
 */
export async function sisterCounterpartHandle(
  db: Queryable,
  exchangeId: string,
  memberships: readonly Membership[],
): Promise<string | undefined> {
  if (memberships.length === 0) return undefined;
  const rows = await sqlRows<{ handle: string }>(
    db,
    `SELECT them.handle
     FROM sister_exchange_parties mine
     JOIN sister_exchange_parties theirs ON theirs.exchange_id = mine.exchange_id AND theirs.circle_id <> mine.circle_id
     JOIN members them ON them.id = theirs.member_id
     WHERE mine.exchange_id = $1 AND (mine.member_id, mine.circle_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`,
    [exchangeId, memberships.map((m) => m.memberId), memberships.map((m) => m.circleId)],
  );
  return rows.length === 1 ? rows[0].handle : undefined;
}

import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle } from "./support/circles.js";
import { auditLedger, memberBalance } from "./support/database.js";
import { useBarterDatabase } from "./support/lifecycle.js";
import { graphql, succeed } from "./support/graphql.js";

const PROPOSE = `mutation Propose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;
const PROVIDERS = 30;
const MINUTES_EACH = 60;

let db: DataSource;

useBarterDatabase((opened) => (db = opened));

describe("confirmations racing on one account", () => {
  it("never take it past the floor and never lose an update", async () => {
    const circle = await createCircle(db, PROVIDERS + 1);
    const [receiver, ...providers] = circle.members;
    const exchangeIds = await Promise.all(
      providers.map(async (provider) => {
        const input = {
          circleId: circle.circleId,
          providerMemberId: provider.memberId,
          receiverMemberId: receiver.memberId,
          minutes: MINUTES_EACH,
          skill: "cooking",
        };
        return (await succeed(PROPOSE, { input }, provider.token)).proposeExchange.id as string;
      }),
    );

    // All thirty at once: each would take the receiver down an hour, and the floor is -10h.
    const results = await Promise.all(exchangeIds.map((id) => graphql(CONFIRM, { id }, receiver.token)));

    const confirmed = results.filter((r) => r.data?.confirmExchange?.status === "CONFIRMED");
    const refused = results.filter((r) => r.errors);
    expect(confirmed).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const result of refused) {
      expect(result.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors![0].message).toMatch(/your balance below the circle's floor of -10h \(your balance -10h\)/);
    }
    expect(await memberBalance(db, receiver.memberId)).toBe(-600);
    const credited = await Promise.all(providers.map((p) => memberBalance(db, p.memberId)));
    expect(credited.filter((minutes) => minutes === MINUTES_EACH)).toHaveLength(10);
    expect(credited.filter((minutes) => minutes === 0)).toHaveLength(20);
    expect(await auditLedger(db, circle.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
    const [{ confirmedCount }] = await db.query(
      `SELECT count(*) AS "confirmedCount" FROM exchanges WHERE circle_id = $1 AND status = 'CONFIRMED'`,
      [circle.circleId],
    );
    expect(Number(confirmedCount)).toBe(10);
  });
});

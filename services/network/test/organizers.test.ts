import { bearer, circleWithMembers, dataOrThrow, graphql } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import pg from "pg";

const gatewayUrl = inject("gatewayUrl");
const databaseUrl = inject("databaseUrl");

const ROLE_CHANGE = `mutation ($input: RoleChangeInput!) { revokeRole(input: $input) { handle roles } }`;
const LOCK_WAIT_POLL_MS = 25;
const MAX_LOCK_WAIT_MS = 5_000;

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const organizersOf = (circleId: string) =>
  withClient(async (client) => {
    const { rows } = await client.query(
      `SELECT count(*) FROM network.members WHERE circle_id = $1 AND left_at IS NULL AND 'organizer' = ANY(roles)`,
      [circleId],
    );
    return Number(rows[0].count);
  });

/** Waits until `count` statements of this database are waiting for a lock (or gives up after MAX_LOCK_WAIT_MS). */
async function lockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + MAX_LOCK_WAIT_MS;
  await withClient(async (client) => {
    while (Date.now() < deadline) {
      const { rows } = await client.query(
        `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (Number(rows[0].count) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_POLL_MS));
    }
  });
}

describe("the last organizer", () => {
  it("survives two organizers taking the role from each other at the same moment", async () => {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["second"], "race");
    dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($input: RoleChangeInput!) {
            grantRole(input: $input) {
              roles
            }
          }
        `,
        { input: { memberId: members.second.memberId, role: "ORGANIZER" } },
        bearer(circle.organizer.token),
      ),
      "grant",
    );
    // Hold both organizers' rows, so both revocations are in flight together when they are let go: without
    // the circle lock each would count the other as the organizer who remains.
    const outcomes = await withClient(async (holder) => {
      await holder.query("BEGIN");
      await holder.query(`SELECT id FROM network.members WHERE id = ANY($1::uuid[]) FOR UPDATE`, [
        [circle.organizer.memberId, members.second.memberId],
      ]);
      const racing = Promise.all([
        graphql(
          gatewayUrl,
          ROLE_CHANGE,
          { input: { memberId: members.second.memberId, role: "ORGANIZER" } },
          bearer(circle.organizer.token),
        ),
        graphql(
          gatewayUrl,
          ROLE_CHANGE,
          { input: { memberId: circle.organizer.memberId, role: "ORGANIZER" } },
          bearer(members.second.token),
        ),
      ]);
      await lockWaiters(2);
      await holder.query("COMMIT");
      return racing;
    });
    expect(await organizersOf(circle.id)).toBe(1);
    const refused = outcomes.filter((outcome) => outcome.body.errors);
    expect(refused).toHaveLength(1);
    // Refused either because no organizer would be left or because the one asking is no longer an organizer.
    expect(refused[0].body.errors?.[0].extensions?.code).toMatch(/^(BAD_USER_INPUT|FORBIDDEN)$/);
  });
});

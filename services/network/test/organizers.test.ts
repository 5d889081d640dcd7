import { describe, expect, inject, it } from "vitest";
import pg from "pg";
import { dataOrThrow, gql } from "@rhizome/infra";
import { bearer, circleWithMembers } from "../../../tests/setup/circles.js";

const gatewayUrl = inject("gatewayUrl");
const databaseUrl = inject("databaseUrl");

const ROLE_CHANGE = `mutation ($input: RoleChangeInput!) { revokeRole(input: $input) { handle roles } }`;
const PAIRS_RACING = 4;

async function organizersOf(circleId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*) FROM network.members WHERE circle_id = $1 AND left_at IS NULL AND 'organizer' = ANY(roles)`, [circleId]);
    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}

describe("the last organizer", () => {
  it("survives two organizers taking the role from each other at the same moment", async () => {
    // Several circles race at once, so the two revocations of each pair really overlap.
    const circles = await Promise.all(Array.from({ length: PAIRS_RACING }, () => circleWithMembers(gatewayUrl, ["second"], "race")));
    for (const { circle, members } of circles) {
      dataOrThrow(
        await gql(gatewayUrl, `mutation ($input: RoleChangeInput!) { grantRole(input: $input) { roles } }`, { input: { memberId: members.second.memberId, role: "ORGANIZER" } }, bearer(circle.organizer.token)),
        "grant",
      );
    }
    const outcomes = await Promise.all(
      circles.map(({ circle, members }) =>
        Promise.all([
          gql(gatewayUrl, ROLE_CHANGE, { input: { memberId: members.second.memberId, role: "ORGANIZER" } }, bearer(circle.organizer.token)),
          gql(gatewayUrl, ROLE_CHANGE, { input: { memberId: circle.organizer.memberId, role: "ORGANIZER" } }, bearer(members.second.token)),
        ]),
      ),
    );
    for (const [index, { circle }] of circles.entries()) {
      expect(await organizersOf(circle.id)).toBe(1);
      const refused = outcomes[index].filter((outcome) => outcome.body.errors);
      expect(refused).toHaveLength(1);
      // Refused either because no organizer would be left or because the one asking is no longer an organizer.
      expect(refused[0].body.errors?.[0].extensions?.code).toMatch(/^(BAD_USER_INPUT|FORBIDDEN)$/);
    }
  });
});

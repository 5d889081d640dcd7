import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, dataOrThrow, graphql, PASSPHRASE, startTestService, type TestService } from "@rhizome/kit/testing";
import type { NetworkConfig } from "../src/config.js";
import { networkService } from "../src/service.js";

/** More than the pool's connections, so several of them prepare the caller's read. */
const REQUESTS_AT_ONCE = 12;

// A database of its own: the test changes the members table under a running network process.
let network: TestService<NetworkConfig>;
beforeAll(async () => {
  network = await startTestService(networkService, { ownDatabase: true, env: { ROLE: "api", LOG_LEVEL: "silent" } });
});
afterAll(() => network?.stop());

describe("the reads every request makes", () => {
  it("keep answering when a later migration adds a column to members while network runs", async () => {
    const founded = dataOrThrow(
      await graphql(
        network.url,
        `
          mutation ($input: CreateCircleInput!) {
            createCircle(input: $input) {
              token
            }
          }
        `,
        {
          input: { name: "Prepared circle", slug: "prepared-circle", founderHandle: "founder", passphrase: PASSPHRASE },
        },
      ),
      "createCircle",
    );
    const myHandles = async () => {
      const answers = await Promise.all(
        Array.from({ length: REQUESTS_AT_ONCE }, () =>
          graphql(
            network.url,
            `
              {
                me {
                  memberships {
                    handle
                  }
                }
              }
            `,
            {},
            bearer(founded.createCircle.token),
          ),
        ),
      );
      return answers.map((answer) => ({ errors: answer.body.errors, data: answer.body.data }));
    };
    const answered = { errors: undefined, data: { me: { memberships: [{ handle: "founder" }] } } };
    expect(await myHandles()).toEqual(Array.from({ length: REQUESTS_AT_ONCE }, () => answered));

    const admin = new pg.Client({ connectionString: network.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER TABLE network.members ADD COLUMN added_later text`);
    } finally {
      await admin.end();
    }

    expect(await myHandles()).toEqual(Array.from({ length: REQUESTS_AT_ONCE }, () => answered));
  });
});

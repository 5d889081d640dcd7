import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle } from "./support/circles.js";
import { fixedClock, FIXED_NOW } from "./support/clock.js";
import { startInProcessBarter, type InProcessBarter } from "./support/in-process.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
let barter: InProcessBarter;
useBarterDatabase((opened) => (db = opened));

// A barter of this file's own, whose counters no other test file moves: the counts are exact.
beforeAll(async () => {
  barter = await startInProcessBarter({ clock: fixedClock, role: "api" });
});
afterAll(async () => {
  await barter?.stop();
});

const PROPOSE = `mutation Propose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

describe("barter's metrics", () => {
  it("count confirmed exchanges and the minutes they moved, and nothing for a refused confirmation", async () => {
    const circle = await createCircle(db, 2, { openedAt: FIXED_NOW });
    const [provider, receiver] = circle.members;
    const input = {
      circleId: circle.circleId,
      providerMemberId: provider.memberId,
      receiverMemberId: receiver.memberId,
      minutes: 75,
      skill: "sewing",
    };
    const proposed = await barter.graphql(PROPOSE, { input }, provider.token);
    const exchangeId = proposed.data!.proposeExchange.id;

    expect((await barter.graphql(CONFIRM, { id: exchangeId }, receiver.token)).data?.confirmExchange.status).toBe(
      "CONFIRMED",
    );
    expect((await barter.graphql(CONFIRM, { id: exchangeId }, receiver.token)).errors?.[0].extensions?.code).toBe(
      "CONFLICT",
    );

    expect(await barter.metricValue("rhizome_barter_exchanges_confirmed_total")).toBe(1);
    expect(await barter.metricValue("rhizome_barter_minutes_confirmed_total")).toBe(75);
  });
});

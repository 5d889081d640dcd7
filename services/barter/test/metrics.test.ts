import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle } from "./support/circles.js";
import { testEnvironment } from "./support/environment.js";
import { succeed } from "./support/graphql.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

const PROPOSE = `mutation Propose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", testEnvironment().barterUrl))).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("barter's metrics", () => {
  it("count confirmed exchanges and the minutes they moved", async () => {
    const circle = await createCircle(db, 2);
    const [provider, receiver] = circle.members;
    const [exchangesBefore, minutesBefore] = [await metric("rhizome_barter_exchanges_confirmed_total"), await metric("rhizome_barter_minutes_confirmed_total")];
    const input = { circleId: circle.circleId, providerMemberId: provider.memberId, receiverMemberId: receiver.memberId, minutes: 75, skill: "sewing" };
    const { proposeExchange } = await succeed(PROPOSE, { input }, provider.token);
    await succeed(CONFIRM, { id: proposeExchange.id }, receiver.token);
    // Other tests confirm exchanges at the same time, so the counters grow by at least this one.
    expect(await metric("rhizome_barter_exchanges_confirmed_total")).toBeGreaterThanOrEqual(exchangesBefore + 1);
    expect(await metric("rhizome_barter_minutes_confirmed_total")).toBeGreaterThanOrEqual(minutesBefore + 75);
  });
});

import { describe, expect, it } from "vitest";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { RESPOND, circleWith, propose, seatedBody, useGovernance } from "./support/hub.js";

const governance = useGovernance();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const ADOPT = `mutation ($input: AdoptPactInput!) { adoptPact(input: $input) { id status sunsetAt } }`;
const RERATIFY = `mutation ($input: ReratifyPactInput!) { reratifyPact(input: $input) { id status sunsetAt } }`;
const PACTS = `query ($circleId: ID!) { pacts(circleId: $circleId) { items { id title status remindedAt lapsedAt sunsetAt } } }`;

describe("pacts with sunsets (G4)", () => {
  it("lapse at their sunset by a job unless re-ratified in time, and stay in history as lapsed", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const e1 = circle.members.e1;
    const body = await seatedBody(governance, circle, [e1], { decisionRule: "CONSENT" });
    const first = await propose(governance, body.id, e1, HOUR_MS);
    const second = await propose(governance, body.id, e1, HOUR_MS);
    const objected = await propose(governance, body.id, e1, HOUR_MS);
    await governance.ok(RESPOND, { input: { proposalId: objected.id, response: "OBJECT", reason: "Not yet" } }, e1);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);

    const sunsetAt = new Date(governance.clock().getTime() + 10 * DAY_MS).toISOString();
    expect((await governance.refused(ADOPT, { input: { proposalId: objected.id, sunsetAt } }, e1)).message).toContain(
      "has not passed",
    );
    expect(
      (
        await governance.refused(
          ADOPT,
          { input: { proposalId: first.id, sunsetAt: new Date(governance.clock().getTime() - 1).toISOString() } },
          e1,
        )
      ).message,
    ).toContain("must be in the future");
    const lapsing = (await governance.ok(ADOPT, { input: { proposalId: first.id, sunsetAt } }, e1)).adoptPact;
    const renewed = (await governance.ok(ADOPT, { input: { proposalId: second.id, sunsetAt } }, e1)).adoptPact;
    expect((await governance.refused(ADOPT, { input: { proposalId: first.id, sunsetAt } }, e1)).code).toBe("CONFLICT");

    governance.clock.advance(4 * DAY_MS);
    await runDueDeadlines(governance.service.runtime);
    const reminded = (await governance.ok(PACTS, { circleId: circle.id }, e1)).pacts.items;
    expect(reminded.every((p: { remindedAt: string | null }) => p.remindedAt !== null)).toBe(true);

    const renewal = await propose(governance, body.id, e1, HOUR_MS);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    const later = new Date(governance.clock().getTime() + 40 * DAY_MS).toISOString();
    expect(
      (await governance.ok(RERATIFY, { input: { pactId: renewed.id, proposalId: renewal.id, sunsetAt: later } }, e1))
        .reratifyPact,
    ).toMatchObject({ status: "ACTIVE", sunsetAt: later });

    governance.clock.advance(7 * DAY_MS);
    await runDueDeadlines(governance.service.runtime);
    const pacts = (await governance.ok(PACTS, { circleId: circle.id }, e1)).pacts.items;
    expect(pacts.find((p: { id: string }) => p.id === lapsing.id)).toMatchObject({
      status: "LAPSED",
      lapsedAt: sunsetAt,
    });
    expect(pacts.find((p: { id: string }) => p.id === renewed.id)).toMatchObject({ status: "ACTIVE", sunsetAt: later });

    const tooLate = await propose(governance, body.id, e1, HOUR_MS);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    expect(
      (
        await governance.refused(
          RERATIFY,
          { input: { pactId: lapsing.id, proposalId: tooLate.id, sunsetAt: later } },
          e1,
        )
      ).message,
    ).toContain("lapsed at its sunset");
  });
});

import { describe, expect, it } from "vitest";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { RESPOND, circleWith, propose, seatedBody, useGovernance } from "./support/hub.js";

const governance = useGovernance();

const LOG_WITH_PROPOSALS = `query ($circleId: ID!) { decisionLog(circleId: $circleId, first: 10) {
  items { seq outcome proposal { id title kind outcome circle { id } } } } }`;

describe("the decision log names what it decided", () => {
  it("shows each entry's proposal to the circle's members, and nothing of it to a member of another circle", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE" });
    const { e1, e2 } = circle.members;
    const outsider = (await circleWith({ o1: "EDGE" })).members.o1;
    const body = await seatedBody(governance, circle, [e1, e2], { decisionRule: "CONSENT" });
    const proposal = await propose(governance, body.id, e1, 60_000);
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, e2);
    governance.clock.advance(60_000);
    await runDueDeadlines(governance.service.runtime);

    const log = (await governance.ok(LOG_WITH_PROPOSALS, { circleId: circle.id }, e2)).decisionLog.items;
    expect(log).toEqual([
      {
        seq: 1,
        outcome: "PASSED",
        proposal: {
          id: proposal.id,
          title: "Open the tool shed on Sundays",
          kind: "ORDINARY",
          outcome: "PASSED",
          circle: { id: circle.id },
        },
      },
    ]);

    const refused = await governance.refused(LOG_WITH_PROPOSALS, { circleId: circle.id }, outsider);
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).not.toContain("tool shed");
    // Anonymous callers read nothing either.
    expect((await governance.refused(LOG_WITH_PROPOSALS, { circleId: circle.id })).code).toBe("UNAUTHENTICATED");
  });
});

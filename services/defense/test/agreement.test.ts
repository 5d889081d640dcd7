import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, testMember } from "@rhizome/kit/testing";
import { api, branch, newCircle, responder, startDefense, type DefenseTestService } from "./support/defense.js";

const PUBLISH = `mutation ($c: ID!, $t: String!) { publishAgreement(circleId: $c, text: $t) { version text signedByMe } }`;
const SIGN = `mutation ($c: ID!, $v: Int!) { signAgreement(circleId: $c, version: $v) { version signedByMe } }`;
const CURRENT = `query ($c: ID!) { solidarityAgreement(circleId: $c) { version text signedByMe } }`;
const SIGNERS = `query ($c: ID!, $first: Int, $after: String) { agreementSigners(circleId: $c, first: $first, after: $after) { items { member { id } } nextCursor } }`;
const COUNT = `query ($c: ID!) { agreementSignatureCount(circleId: $c) { version signatures } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("the solidarity agreement", () => {
  it("is versioned by organizers and signed by members; who signed is for responders, how many is public once at least 5", async () => {
    const call = api(service);
    const circle = await newCircle();
    expect(
      (await call.ok(PUBLISH, { c: circle.id, t: "We show up for each other." }, circle.organizer)).publishAgreement,
    ).toEqual({ version: 1, text: "We show up for each other.", signedByMe: false });
    const second = (
      await call.ok(
        PUBLISH,
        { c: circle.id, t: "We show up for each other, and we never call the police on a neighbour." },
        circle.organizer,
      )
    ).publishAgreement;
    expect(second.version).toBe(2);

    const signers = await Promise.all([1, 2, 3, 4].map(() => circle.member()));
    for (const member of signers) {
      clock.advance(1000);
      await call.ok(SIGN, { c: circle.id, v: 2 }, member);
    }
    expect((await call.ok(CURRENT, { c: circle.id }, signers[0])).solidarityAgreement).toMatchObject({
      version: 2,
      signedByMe: true,
    });
    expect((await call.ok(COUNT, { c: circle.id })).agreementSignatureCount).toEqual({ version: 2, signatures: null });
    const fifth = await circle.member();
    await call.ok(SIGN, { c: circle.id, v: 2 }, fifth);
    await call.ok(SIGN, { c: circle.id, v: 2 }, fifth);
    expect((await call.ok(COUNT, { c: circle.id })).agreementSignatureCount).toEqual({ version: 2, signatures: 5 });

    const watcher = await responder(service, circle, await branch(service, circle, "signers"));
    const page = (await call.ok(SIGNERS, { c: circle.id, first: 3 }, watcher)).agreementSigners;
    const rest = (await call.ok(SIGNERS, { c: circle.id, first: 3, after: page.nextCursor }, watcher)).agreementSigners;
    expect([...page.items, ...rest.items].map((s: { member: { id: string } }) => s.member.id).sort()).toEqual(
      [...signers, fifth].map((m) => m.memberId).sort(),
    );

    const before = await circleSnapshot(service.runtime.db, circle.id);
    expect((await call.fails(SIGNERS, { c: circle.id }, signers[0])).code).toBe("FORBIDDEN");
    expect((await call.fails(PUBLISH, { c: circle.id, t: "Mine now" }, signers[0])).code).toBe("FORBIDDEN");
    expect((await call.fails(SIGN, { c: circle.id, v: 9 }, signers[0])).code).toBe("NOT_FOUND");
    expect((await call.fails(PUBLISH, { c: circle.id, t: " " }, circle.organizer)).code).toBe("BAD_USER_INPUT");
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer"]);
    expect((await call.fails(CURRENT, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect((await call.fails(SIGN, { c: circle.id, v: 2 }, outsider)).code).toBe("FORBIDDEN");
    expect((await call.fails(SIGNERS, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@rhizome/kit";
import {
  circleSnapshot,
  failure,
  graphql,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
} from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool, handOver, ops } from "./support.js";

const HOUR_MS = 3_600_000;
const clock = manualClock(new Date("2031-05-05T09:00:00.000Z"));
let service: TestService<ToolsConfig>;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

async function circleOf(size: number): Promise<TestMember[]> {
  const circleId = randomUUID();
  return Promise.all(
    Array.from({ length: size }, (_, i) => testMember(circleId, i === 0 ? ["member", "organizer"] : ["member"])),
  );
}

/** Members become known to tools when they act; the hub also tells it through network's events. */
async function known(members: TestMember[]) {
  for (const member of members)
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: member.circleId },
      member.token,
    );
}

async function openCustody(toolId: string): Promise<string[]> {
  const rows: Array<{ member_id: string }> = await service.runtime.db.query(
    `SELECT member_id FROM custody WHERE tool_id = $1 AND held_until IS NULL`,
    [toolId],
  );
  return rows.map((r) => r.member_id);
}

describe("hand-offs", () => {
  it("change the holder only when the other member confirms, and build the chain of custody with dates", async () => {
    const [host, ada, bell] = await circleOf(3);
    const tool = await addTool(service.url, host);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, bell.token);
    const t0 = clock();

    const proposed = (await succeed(service.url, ops.propose, { toolId: tool.id, to: ada.memberId }, host.token))
      .proposeHandOff;
    expect(proposed).toMatchObject({ status: "PROPOSED", from: { id: host.memberId }, to: { id: ada.memberId } });
    expect((await succeed(service.url, ops.tool, { id: tool.id }, bell.token)).tool.holder.id).toBe(host.memberId);
    expect(await failure(service.url, ops.confirm, { id: proposed.id }, host.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(service.url, ops.confirm, { id: proposed.id }, bell.token)).toMatchObject({
      code: "NOT_FOUND",
    });

    clock.advance(HOUR_MS);
    const t1 = clock();
    await succeed(service.url, ops.confirm, { id: proposed.id }, ada.token);
    // The receiver asks this time, and the holder confirms.
    clock.advance(HOUR_MS);
    const t2 = clock();
    const asked = (await succeed(service.url, ops.request, { toolId: tool.id }, bell.token)).requestHandOff;
    expect(asked).toMatchObject({ from: { id: ada.memberId }, to: { id: bell.memberId } });
    const outcome = (await succeed(service.url, ops.confirm, { id: asked.id }, ada.token)).confirmHandOff;
    expect(outcome.loanEnded.returnedAt).toBe(t2.toISOString());
    expect(outcome.loanStarted.borrower.id).toBe(bell.memberId);

    const { custody, holder } = (await succeed(service.url, ops.custody, { id: tool.id }, host.token)).tool;
    expect(holder.id).toBe(bell.memberId);
    expect(custody.items).toEqual([
      { holder: { id: bell.memberId }, heldFrom: t2.toISOString(), heldUntil: null },
      { holder: { id: ada.memberId }, heldFrom: t1.toISOString(), heldUntil: t2.toISOString() },
      { holder: { id: host.memberId }, heldFrom: t0.toISOString(), heldUntil: t1.toISOString() },
    ]);
  });

  it("go to the head of the queue, or to anyone when nobody waits; to a non-member never", async () => {
    const [host, ada, bell] = await circleOf(3);
    await known([ada, bell]);
    const tool = await addTool(service.url, host);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);
    const before = await circleSnapshot(service.runtime.db, host.circleId);
    expect(await failure(service.url, ops.propose, { toolId: tool.id, to: bell.memberId }, host.token)).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("first in this tool's queue"),
    });
    expect(await failure(service.url, ops.request, { toolId: tool.id }, bell.token)).toMatchObject({
      code: "CONFLICT",
    });
    expect(await failure(service.url, ops.propose, { toolId: tool.id, to: randomUUID() }, host.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("not a member"),
    });
    const stranger = await testMember(randomUUID());
    expect(
      await failure(service.url, ops.propose, { toolId: tool.id, to: stranger.memberId }, host.token),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await failure(service.url, ops.propose, { toolId: tool.id, to: ada.memberId }, bell.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await circleSnapshot(service.runtime.db, host.circleId)).toEqual(before);

    const empty = await addTool(service.url, host, { name: "Wheelbarrow" });
    await handOver(service.url, empty.id, host, bell);
    expect((await succeed(service.url, ops.tool, { id: empty.id }, host.token)).tool).toMatchObject({
      holder: { id: bell.memberId },
      currentLoan: { borrower: { id: bell.memberId } },
    });
  });

  it("keep a tool in one pair of hands when proposals, requests and confirmations race", async () => {
    const members = await circleOf(8);
    const [host, ...others] = members;
    await known(others);
    const tool = await addTool(service.url, host);

    const proposals = await Promise.all([
      ...others
        .slice(0, 4)
        .map((to) => graphql(service.url, ops.propose, { toolId: tool.id, to: to.memberId }, host.token)),
      ...others.slice(4).map((asker) => graphql(service.url, ops.request, { toolId: tool.id }, asker.token)),
    ]);
    const made = proposals.filter((p) => p.body.data?.proposeHandOff ?? p.body.data?.requestHandOff);
    expect(made).toHaveLength(1);
    for (const refused of proposals.filter((p) => p.body.errors))
      expect(refused.body.errors![0].extensions?.code).toBe("CONFLICT");
    const handOff = made[0].body.data.proposeHandOff ?? made[0].body.data.requestHandOff;
    const confirmer =
      handOff.from.id === host.memberId && made[0].body.data.proposeHandOff
        ? others.find((m) => m.memberId === handOff.to.id)!
        : host;

    const confirmations = await Promise.all(
      Array.from({ length: 5 }, () => graphql(service.url, ops.confirm, { id: handOff.id }, confirmer.token)),
    );
    expect(confirmations.filter((c) => c.body.data?.confirmHandOff)).toHaveLength(1);
    expect(await openCustody(tool.id)).toEqual([handOff.to.id]);
    const loans: Array<{ n: number }> = await service.runtime.db.query(
      `SELECT count(*)::int AS n FROM loans WHERE tool_id = $1`,
      [tool.id],
    );
    expect(loans[0].n).toBe(1);

    // The new holder hands it on while the old one, who no longer holds it, tries to: only the holder can.
    const [third] = others.filter((m) => m.memberId !== handOff.to.id);
    const holder = others.find((m) => m.memberId === handOff.to.id)!;
    const race = await Promise.all([
      graphql(service.url, ops.propose, { toolId: tool.id, to: third.memberId }, holder.token),
      graphql(service.url, ops.propose, { toolId: tool.id, to: third.memberId }, host.token),
    ]);
    expect(race[0].body.data?.proposeHandOff.status).toBe("PROPOSED");
    expect(race[1].body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("record a completed loan as a loan.completed event in the same transaction, once", async () => {
    const [host, ada] = await circleOf(2);
    await known([ada]);
    const tool = await addTool(service.url, host);
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    const noEventYet: unknown[] = await service.runtime.db.query(
      `SELECT 1 FROM outbox WHERE topic = 'loan.completed' AND payload->>'loanId' = $1`,
      [loanStarted.id],
    );
    expect(noEventYet).toHaveLength(0);
    const { loanEnded, loanStarted: none } = await handOver(service.url, tool.id, ada, host);
    expect(loanEnded.id).toBe(loanStarted.id);
    expect(none).toBeNull();
    const events: Array<{ payload: Record<string, unknown> }> = await service.runtime.db.query(
      `SELECT payload FROM outbox WHERE topic = 'loan.completed' AND payload->>'loanId' = $1`,
      [loanStarted.id],
    );
    expect(events.map((e) => e.payload)).toEqual([
      {
        circleId: host.circleId,
        loanId: loanStarted.id,
        toolId: tool.id,
        cycle: expect.stringMatching(/^2031-/),
        memberIds: [host.memberId, ada.memberId],
      },
    ]);
    expect((await succeed(service.url, ops.tool, { id: tool.id }, host.token)).tool).toMatchObject({
      holder: { id: host.memberId },
      currentLoan: null,
      isAvailable: true,
    });
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@rhizome/kit";
import {
  circleSnapshot,
  failure,
  graphql,
  hubEnvironment,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
} from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool, handOver, ops, type AddedTool } from "./support.js";

const DAY_MS = 86_400_000;
const clock = manualClock(new Date("2031-03-10T12:00:00.000Z"));
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

describe("the queue", () => {
  it("puts fifty members reserving one tool at the same instant in one strict order, through the gateway: one first, no duplicates, no gaps", async () => {
    const { gatewayUrl } = hubEnvironment();
    const [host, ...members] = await circleOf(51);
    const tool = await addTool(gatewayUrl, host, { name: "Pressure washer" });

    const placed = await Promise.all(
      members.map(async (member) => ({
        member,
        reservation: (await succeed(gatewayUrl, ops.reserve, { toolId: tool.id }, member.token)).reserveTool,
      })),
    );

    const numbers = placed.map((p) => p.reservation.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(placed.filter((p) => p.reservation.place === 1)).toHaveLength(1);
    for (const { reservation } of placed) expect(reservation.place).toBe(reservation.number);
    const queue = (await succeed(gatewayUrl, ops.queue, { id: tool.id }, host.token)).tool.queue;
    expect(queue.items.map((r: { place: number }) => r.place)).toEqual(numbers);
    expect(queue.items.map((r: { number: number }) => r.number)).toEqual(numbers);
    const byNumber = new Map(placed.map((p) => [p.reservation.number, p.member.memberId]));
    expect(queue.items.map((r: { member: { id: string } }) => r.member.id)).toEqual(
      numbers.map((n) => byNumber.get(n)),
    );
    expect(new Set(queue.items.map((r: { member: { id: string } }) => r.member.id)).size).toBe(50);
  });

  it("moves everyone behind up when a member cancels, and refuses duplicates, holders and retired tools, changing nothing", async () => {
    const [host, ada, bell, cy] = await circleOf(4);
    const tool = await addTool(service.url, host);
    const first = (await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token)).reserveTool;
    await succeed(service.url, ops.reserve, { toolId: tool.id }, bell.token);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, cy.token);
    expect((await succeed(service.url, ops.cancelReservation, { id: first.id }, ada.token)).cancelReservation).toEqual({
      id: first.id,
      status: "CANCELLED",
      place: null,
    });
    const queue = (await succeed(service.url, ops.queue, { id: tool.id }, host.token)).tool.queue.items;
    expect(
      queue.map((r: { member: { id: string }; place: number; number: number }) => [r.member.id, r.place, r.number]),
    ).toEqual([
      [bell.memberId, 1, 2],
      [cy.memberId, 2, 3],
    ]);

    const before = await circleSnapshot(service.runtime.db, host.circleId);
    expect(await failure(service.url, ops.reserve, { toolId: tool.id }, bell.token)).toMatchObject({
      code: "CONFLICT",
      message: "You are already in this tool's queue.",
    });
    expect(await failure(service.url, ops.reserve, { toolId: tool.id }, host.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "You hold this tool already; there is nothing to reserve.",
    });
    expect(await failure(service.url, ops.reserve, { toolId: randomUUID() }, bell.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(service.url, ops.cancelReservation, { id: first.id }, ada.token)).toMatchObject({
      code: "CONFLICT",
    });
    expect(await failure(service.url, ops.cancelReservation, { id: queue[0].id }, cy.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await circleSnapshot(service.runtime.db, host.circleId)).toEqual(before);

    const spare = await addTool(service.url, host, { name: "Spare" });
    await succeed(service.url, ops.retireTool, { toolId: spare.id }, host.token);
    expect(await failure(service.url, ops.reserve, { toolId: spare.id }, ada.token)).toMatchObject({
      code: "CONFLICT",
      message: "This tool is retired and can no longer be reserved.",
    });
  });

  it("caps each member's open reservations at the circle's setting, even when they are sent at once", async () => {
    const [organizer, ada] = await circleOf(2);
    const tools: AddedTool[] = [];
    for (let i = 0; i < 6; i++) tools.push(await addTool(service.url, organizer, { name: `Clamp ${i}` }));
    const attempts = await Promise.all(
      tools.map((tool) => graphql(service.url, ops.reserve, { toolId: tool.id }, ada.token)),
    );
    const refused = attempts.filter((a) => a.body.errors);
    expect(attempts.length - refused.length).toBe(3);
    expect(refused[0].body.errors![0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringContaining("limit of open reservations (3)"),
    });

    expect(
      (
        await failure(
          service.url,
          ops.settings,
          { input: { circleId: organizer.circleId, maxOpenReservations: 4 } },
          ada.token,
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await failure(
          service.url,
          ops.settings,
          { input: { circleId: organizer.circleId, maxOpenReservations: 0 } },
          organizer.token,
        )
      ).message,
    ).toContain("1 to 50");
    await succeed(
      service.url,
      ops.settings,
      { input: { circleId: organizer.circleId, maxOpenReservations: 4 } },
      organizer.token,
    );
    const free = tools.find((tool) => !attempts[tools.indexOf(tool)].body.data?.reserveTool)!;
    expect((await succeed(service.url, ops.reserve, { toolId: free.id }, ada.token)).reserveTool.place).toBe(1);
  });
});

describe("loans", () => {
  it("start at the hand-off, due by the organizers' rule for the category, and renew only while nobody waits", async () => {
    const [organizer, host, ada, bell] = await circleOf(4);
    await succeed(
      service.url,
      ops.loanPeriod,
      { input: { circleId: host.circleId, category: "Power tools", loanDays: 3 } },
      organizer.token,
    );
    expect(
      (
        await failure(
          service.url,
          ops.loanPeriod,
          { input: { circleId: host.circleId, category: "garden", loanDays: 400 } },
          organizer.token,
        )
      ).message,
    ).toContain("1 to 90");
    const tool = await addTool(service.url, host);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);
    const startedAt = clock();
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    expect(loanStarted).toMatchObject({
      borrower: { id: ada.memberId },
      dueAt: new Date(startedAt.getTime() + 3 * DAY_MS).toISOString(),
    });

    clock.advance(2 * DAY_MS);
    const renewed = (await succeed(service.url, ops.renew, { id: loanStarted.id }, ada.token)).renewLoan;
    expect(renewed).toMatchObject({ renewals: 1, dueAt: new Date(startedAt.getTime() + 6 * DAY_MS).toISOString() });
    expect((await failure(service.url, ops.renew, { id: loanStarted.id }, bell.token)).code).toBe("NOT_FOUND");

    await succeed(service.url, ops.reserve, { toolId: tool.id }, bell.token);
    const refused = await failure(service.url, ops.renew, { id: loanStarted.id }, ada.token);
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Someone is waiting for this tool"),
    });
    expect((await succeed(service.url, ops.tool, { id: tool.id }, ada.token)).tool.currentLoan).toMatchObject({
      id: loanStarted.id,
      renewals: 1,
    });
  });
});

describe("a retired tool", () => {
  it("tells each member who waited for it, in their inbox, that their reservation closed; nobody else hears of it", async () => {
    const [host, ada, ben, outsider] = await circleOf(4);
    const tool = await addTool(service.url, host, { name: "Cider press" });
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ben.token);
    const inbox = `query Inbox($c: ID!) { myNotifications(circleId: $c) { items { kind message dueAt loan { id } tool { id name } } } }`;
    const inboxOf = async (member: TestMember) =>
      (await succeed(service.url, inbox, { c: member.circleId }, member.token)).myNotifications.items;

    await succeed(service.url, ops.retireTool, { toolId: tool.id }, host.token);

    for (const member of [ada, ben]) {
      expect(await inboxOf(member)).toEqual([
        {
          kind: "TOOL_RETIRED",
          message:
            '"Cider press" was retired from the library, so your reservation for it is closed. Search the catalogue for another.',
          dueAt: null,
          loan: null,
          tool: { id: tool.id, name: "Cider press" },
        },
      ]);
      expect(
        (
          await succeed(
            service.url,
            `query R($c: ID!) { myReservations(circleId: $c) { id } }`,
            { c: member.circleId },
            member.token,
          )
        ).myReservations,
      ).toEqual([]);
    }
    expect(await inboxOf(host)).toEqual([]);
    expect(await inboxOf(outsider)).toEqual([]);
    // A member of another circle reads nothing of it.
    const stranger = await testMember(randomUUID());
    expect((await failure(service.url, inbox, { c: ada.circleId }, stranger.token)).code).toBe("FORBIDDEN");
  });
});

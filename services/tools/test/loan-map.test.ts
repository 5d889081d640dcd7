import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, manualClock } from "@rhizome/kit";
import { failure, startTestService, succeed, testMember, type TestMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool, handOver } from "./support.js";

const clock = manualClock(new Date("2032-01-20T12:00:00.000Z"));
let service: TestService<ToolsConfig>;
const MAP = `query Map($c: ID!, $cycle: String, $precision: Int) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { loanMap(cycle: $cycle, precision: $precision) { cycle isClosed precision cells { cell loans } } } } }`;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

async function lend(host: TestMember, borrowers: TestMember[], cell: string) {
  for (const borrower of borrowers) {
    await succeed(service.url, `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`, { c: borrower.circleId }, borrower.token);
    const tool = await addTool(service.url, host, { name: `Tool for ${borrower.memberId.slice(0, 6)}`, locationCell: cell });
    await handOver(service.url, tool.id, host, borrower);
  }
}

describe("the loan map", () => {
  it("publishes a closed cycle's loans per coarse cell, leaving out cells behind which fewer than 5 members stand", async () => {
    const circleId = randomUUID();
    const members = await Promise.all(Array.from({ length: 8 }, () => testMember(circleId)));
    const [busyHost, quietHost, ...borrowers] = members;
    const cycle = cycleContaining(clock());
    await lend(busyHost, borrowers.slice(0, 4), "u4pruy");
    await lend(quietHost, borrowers.slice(4, 6), "u4pzb0");

    expect((await failure(service.url, MAP, { c: circleId, cycle: cycle.label })).code).toBe("UNAUTHENTICATED");
    const open = (await succeed(service.url, MAP, { c: circleId, cycle: cycle.label }, busyHost.token))._entities[0].loanMap;
    expect(open).toEqual({ cycle: cycle.label, isClosed: false, precision: 5, cells: [{ cell: "u4pru", loans: 4 }] });

    clock.set(new Date(followingCycle(cycle).startsAt.getTime() + 60_000));
    const published = (await succeed(service.url, MAP, { c: circleId }))._entities[0].loanMap;
    expect(published).toEqual({ cycle: cycle.label, isClosed: true, precision: 5, cells: [{ cell: "u4pru", loans: 4 }] });
    const coarser = (await succeed(service.url, MAP, { c: circleId, cycle: cycle.label, precision: 3 }))._entities[0].loanMap;
    expect(coarser.cells).toEqual([{ cell: "u4p", loans: 6 }]);
    const finest = (await succeed(service.url, MAP, { c: circleId, cycle: cycle.label, precision: 6 }))._entities[0].loanMap;
    expect(finest.cells).toEqual([{ cell: "u4pruy", loans: 4 }]);
    expect((await failure(service.url, MAP, { c: circleId, cycle: cycle.label, precision: 7 })).message).toContain("1 to 6");
    expect((await failure(service.url, MAP, { c: circleId, cycle: "2032-13-01" })).code).toBe("BAD_USER_INPUT");
  });
});

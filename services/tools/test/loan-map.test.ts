import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleByLabel, cycleContaining, followingCycle, manualClock } from "@rhizome/kit";
import {
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
import { addTool, handOver } from "./support.js";

const clock = manualClock(new Date("2032-01-20T12:00:00.000Z"));
let service: TestService<ToolsConfig>;
const MAP = `query Map($c: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { loanMap(cycle: $cycle) { cycle isClosed precision cells { cell loans } } } } }`;
const MAP_AT = `query Map($c: ID!, $cycle: String, $precision: Int) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { loanMap(cycle: $cycle, precision: $precision) { cells { cell loans } } } } }`;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

async function lend(host: TestMember, borrowers: TestMember[], cell: string) {
  for (const borrower of borrowers) {
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: borrower.circleId },
      borrower.token,
    );
    const tool = await addTool(service.url, host, {
      name: `Tool for ${borrower.memberId.slice(0, 6)}`,
      locationCell: cell,
    });
    await handOver(service.url, tool.id, host, borrower);
  }
}

async function mapOf(circleId: string, cycle?: string, token?: string) {
  return (await succeed(service.url, MAP, { c: circleId, cycle }, token))._entities[0].loanMap;
}

/** Five hosts in one block, each lending to a borrower of their own: a cell that stands for 5 hosts and 5 borrowers. */
async function busyBlock(circleId: string, cell: string): Promise<TestMember[]> {
  const members = await Promise.all(Array.from({ length: 10 }, () => testMember(circleId)));
  for (let i = 0; i < 5; i++) await lend(members[i], [members[5 + i]], cell);
  return members;
}

describe("the loan map", () => {
  it("publishes a closed cycle's loans per cell, at one precision, only where 5 hosts and 5 borrowers stand, and never changes it", async () => {
    const circleId = randomUUID();
    const cycle = cycleContaining(clock());
    const [host] = await busyBlock(circleId, "u4pruy");
    await lend(host, [await testMember(circleId)], "u4pruz");

    expect((await failure(service.url, MAP, { c: circleId, cycle: cycle.label })).code).toBe("UNAUTHENTICATED");
    const open = await mapOf(circleId, cycle.label, host.token);
    expect(open).toEqual({ cycle: cycle.label, isClosed: false, precision: 5, cells: [{ cell: "u4pru", loans: 6 }] });

    clock.set(new Date(followingCycle(cycle).startsAt.getTime() + 60_000));
    const published = await mapOf(circleId);
    expect(published).toEqual({
      cycle: cycle.label,
      isClosed: true,
      precision: 5,
      cells: [{ cell: "u4pru", loans: 6 }],
    });

    // Loans of the new cycle, in the same block, leave the closed cycle's map as it was published.
    await lend(host, [await testMember(circleId)], "u4pruy");
    expect(await mapOf(circleId, cycle.label)).toEqual(published);
    expect((await failure(service.url, MAP, { c: circleId, cycle: "2032-13-01" })).code).toBe("BAD_USER_INPUT");
  });

  it("does not publish the block of one host lending to four people", async () => {
    const circleId = randomUUID();
    const [host, ...borrowers] = await Promise.all(Array.from({ length: 5 }, () => testMember(circleId)));
    const cycle = cycleContaining(clock());
    await lend(host, borrowers, "u4pruy");
    // Five distinct people stand behind the cell, but one of them is its only host: the cell is their home block.
    expect((await mapOf(circleId, cycle.label, host.token)).cells).toEqual([]);
    clock.set(new Date(followingCycle(cycle).startsAt.getTime() + 60_000));
    expect((await mapOf(circleId, cycle.label)).cells).toEqual([]);
  });

  it("gives a differencing attacker no hidden cell, from a coarser map or from the total of loans", async () => {
    const circleId = randomUUID();
    const cycle = cycleContaining(clock());
    await busyBlock(circleId, "u4pruy");
    // One host and one borrower in the next block: a loan behind fewer than 5 people.
    const [loneHost, loneBorrower] = await Promise.all([testMember(circleId), testMember(circleId)]);
    await lend(loneHost, [loneBorrower], "u4prv0");
    clock.set(new Date(followingCycle(cycle).startsAt.getTime() + 60_000));

    // The attacker reads the map at every precision the API lets it choose and subtracts children from parents.
    const maps = new Map<number, Array<{ cell: string; loans: number }>>();
    for (let precision = 1; precision <= 6; precision++) {
      const answer = await graphql(service.url, MAP_AT, { c: circleId, cycle: cycle.label, precision });
      if (!answer.body.errors) maps.set(precision, answer.body.data._entities[0].loanMap.cells);
    }
    const recovered: string[] = [];
    for (const [precision, parents] of maps) {
      const children = maps.get(precision + 1);
      if (!children) continue;
      for (const parent of parents) {
        const shown = children
          .filter((child) => child.cell.startsWith(parent.cell))
          .reduce((sum, child) => sum + child.loans, 0);
        if (parent.loans > shown) recovered.push(`${parent.cell}: ${parent.loans - shown} loan(s) in hidden children`);
      }
    }
    expect(recovered).toEqual([]);

    // The one map there is: the hidden cell cannot be had from the circle's total of loans (6) either.
    const cells: Array<{ cell: string; loans: number }> = (await mapOf(circleId, cycle.label)).cells;
    const shownLoans = cells.reduce((sum, cell) => sum + cell.loans, 0);
    expect(shownLoans === 0 || 6 - shownLoans === 0).toBe(true);
  });

  it("defaults to the current cycle for a member, as the caretaker duo does, and to the last closed one for anyone else", async () => {
    const circleId = randomUUID();
    const member = await testMember(circleId);
    const current = cycleContaining(clock());
    const caretakers = await succeed(
      service.url,
      `query C($c: ID!) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { caretakers { cycle } } } }`,
      { c: circleId },
      member.token,
    );
    // No duo drawn yet: null, but of the same cycle the map defaults to.
    expect(caretakers._entities[0].caretakers).toBeNull();
    expect(await mapOf(circleId, undefined, member.token)).toMatchObject({ cycle: current.label, isClosed: false });
    const outsider = await testMember(randomUUID());
    const published = await mapOf(circleId, undefined, outsider.token);
    expect(published).toMatchObject({ isClosed: true });
    expect(published.cycle).not.toBe(current.label);
    expect(followingCycle(cycleByLabel(published.cycle)!).label).toBe(current.label);
  });
});

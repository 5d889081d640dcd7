import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  circleSnapshot,
  failure,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
} from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool, ops } from "./support.js";

let service: TestService<ToolsConfig>;

beforeAll(async () => {
  service = await startTestService(toolsService, { env: { ROLE: "api" } });
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

describe("the catalogue", () => {
  it("adds a tool whose adder is its host and first holder, and finds it by category, words and availability", async () => {
    const [ada, bell] = await circleOf(2);
    const drill = await addTool(service.url, ada, {
      name: "  Cordless   drill ",
      category: " Power Tools ",
      description: "18V with two batteries",
      safetyNotes: "Eye protection",
      locationCell: "U4PRU",
    });
    expect(drill).toMatchObject({
      name: "Cordless drill",
      category: "power-tools",
      condition: "GOOD",
      locationCell: "u4pru",
      isAvailable: true,
      host: { id: ada.memberId },
      holder: { id: ada.memberId },
    });
    const rake = await addTool(service.url, bell, { name: "Leaf rake", category: "garden", description: "Wide head" });
    const saw = await addTool(service.url, bell, { name: "Bow saw", category: "garden", condition: "NEEDS_REPAIR" });

    const search = async (search: Record<string, unknown>) =>
      (
        (await succeed(service.url, ops.tools, { circleId: ada.circleId, search }, bell.token))._entities[0].tools
          .items as Array<{ id: string }>
      ).map((t) => t.id);
    expect(await search({})).toEqual([saw.id, drill.id, rake.id]);
    expect(await search({ category: "Garden" })).toEqual([saw.id, rake.id]);
    expect(await search({ words: "batteries" })).toEqual([drill.id]);
    expect(await search({ words: "rake wide" })).toEqual([rake.id]);
    expect(await search({ isAvailable: true })).toEqual([drill.id, rake.id]);
    expect(await search({ isAvailable: false })).toEqual([saw.id]);
  });

  it("pages through a circle's tools in name order", async () => {
    const [ada] = await circleOf(1);
    const names = ["Axe", "Bucket", "Chisel", "Drill", "Edger"];
    for (const name of [...names].reverse()) await addTool(service.url, ada, { name, category: "misc" });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { items: Array<{ name: string }>; nextCursor: string | null } = (
        await succeed(service.url, ops.tools, { circleId: ada.circleId, first: 2, after }, ada.token)
      )._entities[0].tools;
      seen.push(...page.items.map((t) => t.name));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(names);
  });

  it("lets the host or an organizer update and retire a tool, and nobody else", async () => {
    const [organizer, host, neighbour] = await circleOf(3);
    const tool = await addTool(service.url, host);
    expect(
      (
        await succeed(
          service.url,
          ops.updateTool,
          { input: { toolId: tool.id, name: "Hammer drill", locationCell: "u4pr" } },
          host.token,
        )
      ).updateTool,
    ).toMatchObject({
      name: "Hammer drill",
      locationCell: "u4pr",
    });
    const before = await circleSnapshot(service.runtime.db, host.circleId);
    expect(
      await failure(service.url, ops.updateTool, { input: { toolId: tool.id, name: "Mine now" } }, neighbour.token),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(service.url, ops.retireTool, { toolId: tool.id }, neighbour.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await circleSnapshot(service.runtime.db, host.circleId)).toEqual(before);

    expect(
      (await succeed(service.url, ops.updateTool, { input: { toolId: tool.id, clearLocation: true } }, organizer.token))
        .updateTool.locationCell,
    ).toBeNull();
    expect(
      (await succeed(service.url, ops.retireTool, { toolId: tool.id }, organizer.token)).retireTool.condition,
    ).toBe("RETIRED");
    expect(
      await failure(service.url, ops.updateTool, { input: { toolId: tool.id, name: "Back again" } }, host.token),
    ).toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a place finer than block level, and other bad input, with a message that says the limit, changing nothing", async () => {
    const [ada] = await circleOf(1);
    const tool = await addTool(service.url, ada, { locationCell: "u4pruy" });
    const before = await circleSnapshot(service.runtime.db, ada.circleId);
    const tooFine = await failure(
      service.url,
      ops.addTool,
      { input: { circleId: ada.circleId, name: "Ladder", category: "garden", locationCell: "u4pruydq" } },
      ada.token,
    );
    expect(tooFine.code).toBe("BAD_USER_INPUT");
    expect(tooFine.message).toContain("at most 6 characters");
    expect(
      (
        await failure(
          service.url,
          ops.updateTool,
          { input: { toolId: tool.id, locationCell: "u4pruydqqv" } },
          ada.token,
        )
      ).message,
    ).toContain("at most 6 characters");
    expect(
      (
        await failure(
          service.url,
          ops.addTool,
          { input: { circleId: ada.circleId, name: "Ladder", category: "garden", locationCell: "not-a-cell!" } },
          ada.token,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await failure(
          service.url,
          ops.addTool,
          { input: { circleId: ada.circleId, name: "   ", category: "garden" } },
          ada.token,
        )
      ).message,
    ).toBe("A tool needs a name.");
    expect(
      (
        await failure(
          service.url,
          ops.addTool,
          { input: { circleId: ada.circleId, name: "Ladder", category: "garden", condition: "RETIRED" } },
          ada.token,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await failure(
          service.url,
          ops.addTool,
          { input: { circleId: ada.circleId, name: "x".repeat(81), category: "garden" } },
          ada.token,
        )
      ).message,
    ).toContain("80 characters");
    expect(await failure(service.url, ops.tool, { id: randomUUID() }, ada.token)).toMatchObject({
      code: "NOT_FOUND",
      message: "No tool with that id in your circles.",
    });
    expect(await failure(service.url, ops.tool, { id: "not-a-uuid" }, ada.token)).toMatchObject({ code: "NOT_FOUND" });
    expect(await circleSnapshot(service.runtime.db, ada.circleId)).toEqual(before);
  });
});

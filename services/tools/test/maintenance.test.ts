import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, manualClock } from "@rhizome/kit";
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
import { addTool, drawWitnessedDuo, handOver, ops } from "./support.js";

const clock = manualClock(new Date("2031-09-03T12:00:00.000Z"));
let service: TestService<ToolsConfig>;

const AUDIT = `mutation Audit($input: AuditInput!) { recordAudit(input: $input) { kind condition notes recordedBy { id } cycle } }`;
const REPAIR = `mutation Repair($input: RepairInput!) { recordRepair(input: $input) { kind condition minutes parts exchangeId } }`;
const LOG = `query Log($id: ID!) { tool(id: $id) { condition needsAudit maintenance { items { kind condition } } } }`;
const PUBLISH = `mutation Publish($input: PublishTutorialInput!) { publishTutorial(input: $input) { id html categories steps { html } } }`;
const TUTORIALS = `query Tutorials($category: String!) { tutorials(category: $category) { items { id title html markdown steps { markdown html } circle { id } } } }`;

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

describe("maintenance", () => {
  it("keeps a tool marked NEEDS_REPAIR from being lent until a repair is recorded, and logs both", async () => {
    const [organizer, host, ada, fixer] = await circleOf(4);
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: ada.circleId },
      ada.token,
    );
    const tool = await addTool(service.url, host);
    expect(
      await failure(service.url, AUDIT, { input: { toolId: tool.id, condition: "NEEDS_REPAIR" } }, fixer.token),
    ).toMatchObject({ code: "FORBIDDEN" });
    const audit = (
      await succeed(
        service.url,
        AUDIT,
        { input: { toolId: tool.id, condition: "NEEDS_REPAIR", notes: "Chuck slips" } },
        organizer.token,
      )
    ).recordAudit;
    expect(audit).toMatchObject({
      kind: "AUDIT",
      condition: "NEEDS_REPAIR",
      notes: "Chuck slips",
      recordedBy: { id: organizer.memberId },
    });

    expect(await failure(service.url, ops.propose, { toolId: tool.id, to: ada.memberId }, host.token)).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("needs repair"),
    });
    expect(
      await failure(service.url, ops.updateTool, { input: { toolId: tool.id, condition: "GOOD" } }, host.token),
    ).toMatchObject({ code: "CONFLICT" });
    expect((await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token)).reserveTool.place).toBe(1);

    expect(
      (await failure(service.url, REPAIR, { input: { toolId: tool.id, minutes: 0 } }, fixer.token)).message,
    ).toContain("1 to 1440 minutes");
    expect(
      (
        await failure(
          service.url,
          REPAIR,
          { input: { toolId: tool.id, minutes: 30, conditionAfter: "NEEDS_REPAIR" } },
          fixer.token,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    clock.advance(60_000);
    const exchangeId = randomUUID();
    expect(
      (
        await succeed(
          service.url,
          REPAIR,
          { input: { toolId: tool.id, minutes: 45, parts: "new chuck key", exchangeId } },
          fixer.token,
        )
      ).recordRepair,
    ).toEqual({
      kind: "REPAIR",
      condition: "GOOD",
      minutes: 45,
      parts: "new chuck key",
      exchangeId,
    });
    await handOver(service.url, tool.id, host, ada);
    const log = (await succeed(service.url, LOG, { id: tool.id }, host.token)).tool;
    expect(log.maintenance.items).toEqual([
      { kind: "REPAIR", condition: "GOOD" },
      { kind: "AUDIT", condition: "NEEDS_REPAIR" },
    ]);
  });

  it("flags a tool nobody audited for two cycles, and lets the cycle's caretakers audit it", async () => {
    const [host, care1, care2] = await circleOf(3);
    const tool = await addTool(service.url, host);
    expect((await succeed(service.url, LOG, { id: tool.id }, host.token)).tool.needsAudit).toBe(false);
    for (const member of [care1, care2])
      await succeed(
        service.url,
        `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
        { c: host.circleId },
        member.token,
      );
    const twoLater = followingCycle(followingCycle(cycleContaining(clock())));
    clock.set(new Date(twoLater.startsAt.getTime() + 3_600_000));
    expect((await succeed(service.url, LOG, { id: tool.id }, host.token)).tool.needsAudit).toBe(true);
    await drawWitnessedDuo(service, host.circleId, twoLater.label, clock());
    expect(
      (await succeed(service.url, AUDIT, { input: { toolId: tool.id, condition: "WORN" } }, care2.token)).recordAudit
        .cycle,
    ).toBe(twoLater.label);
    expect((await succeed(service.url, LOG, { id: tool.id }, host.token)).tool).toMatchObject({
      needsAudit: false,
      condition: "WORN",
    });
  });
});

describe("tutorials", () => {
  it("are public, found by category, and rendered so that no script or javascript: link survives", async () => {
    const [ada] = await circleOf(1);
    const category = `bikes-${randomUUID().slice(0, 8)}`;
    const markdown = [
      "# Truing a wheel",
      "<script>alert('owned')</script>",
      '<img src="x" onerror="alert(1)">',
      "[tricky](javascript:alert(1)) and [also](JaVaScRiPt:alert(2)) and [data](data:text/html;base64,PHNjcmlwdD4=)",
      "![pixel](javascript:alert(3))",
      "See [the spoke chart](https://example.org/spokes).",
    ].join("\n\n");
    const published = (
      await succeed(
        service.url,
        PUBLISH,
        {
          input: {
            circleId: ada.circleId,
            title: "Truing",
            markdown,
            categories: [category],
            steps: ["Loosen the **spoke**", '<a href="javascript:alert(4)">x</a>'],
          },
        },
        ada.token,
      )
    ).publishTutorial;

    const [found] = (await succeed(service.url, TUTORIALS, { category })).tutorials.items;
    expect(found.id).toBe(published.id);
    const html = [found.html, ...found.steps.map((s: { html: string }) => s.html)].join("\n");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a[^>]*href="\s*(javascript|data):/i);
    expect(html).not.toMatch(/<a[^>]*href="(?!https:)/i);
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    expect(found.html).toContain("&lt;script&gt;");
    expect(found.html).toContain(
      '<a href="https://example.org/spokes" rel="nofollow noopener noreferrer">the spoke chart</a>',
    );
    expect(found.steps[0].html).toBe("<p>Loosen the <strong>spoke</strong></p>\n");
    expect(found.markdown).toBe(markdown);
  });

  it("refuse bad input with a message that says the limit, and other circles' members", async () => {
    const [ada] = await circleOf(1);
    const outsider = await testMember(randomUUID());
    const input = { circleId: ada.circleId, title: "Oiling a chain", markdown: "Oil it.", categories: ["bikes"] };
    expect((await failure(service.url, PUBLISH, { input: { ...input, categories: [] } }, ada.token)).message).toContain(
      "1 to 5 categories",
    );
    expect(
      (await failure(service.url, PUBLISH, { input: { ...input, markdown: "x".repeat(20_001) } }, ada.token)).message,
    ).toContain("20000 characters");
    expect((await failure(service.url, PUBLISH, { input }, outsider.token)).code).toBe("FORBIDDEN");
    expect(
      (await graphql(service.url, TUTORIALS, { category: "not a category!" })).body.errors?.[0].extensions?.code,
    ).toBe("BAD_USER_INPUT");
  });
});

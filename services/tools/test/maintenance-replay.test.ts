import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@rhizome/kit";
import { failure, startTestService, succeed, testMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool } from "./support.js";

const clock = manualClock(new Date("2031-09-03T12:00:00.000Z"));
let service: TestService<ToolsConfig>;

const AUDIT = `mutation Audit($input: AuditInput!) { recordAudit(input: $input) { id kind condition } }`;
const REPAIR = `mutation Repair($input: RepairInput!) { recordRepair(input: $input) { id kind condition minutes } }`;
const LOG = `query Log($id: ID!) { tool(id: $id) { condition maintenance { items { id kind condition } } } }`;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

describe("audits and repairs sent again with the same idempotency key", () => {
  it("records one audit and one repair however often a phone's outbox sends them, and refuses a key reused for something else", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["member", "organizer"]);
    const host = await testMember(circleId, ["member"]);
    const fixer = await testMember(circleId, ["member"]);
    const tool = await addTool(service.url, host);

    const audit = { toolId: tool.id, condition: "NEEDS_REPAIR", idempotencyKey: "audit-from-the-shed" };
    const first = (await succeed(service.url, AUDIT, { input: audit }, organizer.token)).recordAudit;
    clock.advance(60_000);
    // The answer was lost; the phone sends it again, twice: the same record, nothing more.
    for (let attempt = 0; attempt < 2; attempt++)
      expect((await succeed(service.url, AUDIT, { input: audit }, organizer.token)).recordAudit).toEqual(first);

    const repair = { toolId: tool.id, minutes: 30, conditionAfter: "GOOD", idempotencyKey: "repair-1" };
    const repaired = (await succeed(service.url, REPAIR, { input: repair }, fixer.token)).recordRepair;
    // A replay of the repair is not refused although the tool no longer needs repair: it is the same repair.
    expect((await succeed(service.url, REPAIR, { input: repair }, fixer.token)).recordRepair).toEqual(repaired);
    // The replayed audit does not put the repaired tool back into NEEDS_REPAIR.
    expect((await succeed(service.url, AUDIT, { input: audit }, organizer.token)).recordAudit).toEqual(first);

    const log = (await succeed(service.url, LOG, { id: tool.id }, host.token)).tool;
    expect(log).toEqual({
      condition: "GOOD",
      maintenance: {
        items: [
          { id: repaired.id, kind: "REPAIR", condition: "GOOD" },
          { id: first.id, kind: "AUDIT", condition: "NEEDS_REPAIR" },
        ],
      },
    });

    // The same key on another tool is not that audit: refused, not read as the earlier record.
    const another = await addTool(service.url, host);
    expect(
      await failure(service.url, AUDIT, { input: { ...audit, toolId: another.id } }, organizer.token),
    ).toMatchObject({
      code: "CONFLICT",
      message: "This idempotency key was already used for another audit or repair.",
    });
    expect(
      await failure(service.url, AUDIT, { input: { ...audit, idempotencyKey: "" } }, organizer.token),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      await failure(service.url, REPAIR, { input: { ...repair, idempotencyKey: "k".repeat(101) } }, fixer.token),
    ).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("1 to 100 characters") });
  });

  it("a member of another circle cannot replay someone's key to read their record", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["member", "organizer"]);
    const tool = await addTool(service.url, await testMember(circleId, ["member"]));
    await succeed(
      service.url,
      AUDIT,
      { input: { toolId: tool.id, condition: "WORN", idempotencyKey: "shared-key" } },
      organizer.token,
    );
    const outsider = await testMember(randomUUID(), ["member", "organizer"]);
    expect(
      await failure(
        service.url,
        AUDIT,
        { input: { toolId: tool.id, condition: "WORN", idempotencyKey: "shared-key" } },
        outsider.token,
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect((await succeed(service.url, LOG, { id: tool.id }, organizer.token)).tool.maintenance.items).toHaveLength(1);
  });
});

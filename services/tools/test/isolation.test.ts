import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, manualClock } from "@rhizome/kit";
import {
  circleSnapshot,
  failure,
  hubEnvironment,
  startTestService,
  succeed,
  testMember,
  type TestService,
} from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { addTool, drawWitnessedDuo, ops } from "./support.js";

const clock = manualClock(new Date("2032-03-02T12:00:00.000Z"));
let service: TestService<ToolsConfig>;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

const circleField = (field: string) =>
  `query F($c: ID!) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { ${field} } } }`;

describe("another circle's library", () => {
  it("is invisible and untouchable for members of other circles, through every field and mutation, _entities included", async () => {
    const circleId = randomUUID();
    const [organizer, host, ada] = await Promise.all([
      testMember(circleId, ["member", "organizer"]),
      testMember(circleId),
      testMember(circleId),
    ]);
    const outsider = await testMember(randomUUID(), ["member", "organizer"]);
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: circleId },
      ada.token,
    );
    const duo = await drawWitnessedDuo(service, circleId, cycleContaining(clock()).label, clock());
    const tool = await addTool(service.url, host, { locationCell: "u4pru" });
    const reservation = (await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token)).reserveTool;
    const handOff = (await succeed(service.url, ops.propose, { toolId: tool.id, to: ada.memberId }, host.token))
      .proposeHandOff;
    const loanTool = await addTool(service.url, host, { name: "Second" });
    const loanHandOff = (await succeed(service.url, ops.propose, { toolId: loanTool.id, to: ada.memberId }, host.token))
      .proposeHandOff;
    const { loanStarted } = (await succeed(service.url, ops.confirm, { id: loanHandOff.id }, ada.token)).confirmHandOff;
    const before = await circleSnapshot(service.runtime.db, circleId);
    const as = outsider.token;

    const notFound = async (query: string, variables: Record<string, unknown>) =>
      expect((await failure(service.url, query, variables, as)).code).toBe("NOT_FOUND");
    const forbidden = async (query: string, variables: Record<string, unknown>) =>
      expect((await failure(service.url, query, variables, as)).code).toBe("FORBIDDEN");

    await notFound(ops.tool, { id: tool.id });
    await notFound(ops.updateTool, { input: { toolId: tool.id, name: "Mine" } });
    await notFound(ops.retireTool, { toolId: tool.id });
    await notFound(ops.reserve, { toolId: tool.id });
    await notFound(ops.cancelReservation, { id: reservation.id });
    await notFound(ops.propose, { toolId: tool.id, to: outsider.memberId });
    await notFound(ops.request, { toolId: tool.id });
    await notFound(ops.confirm, { id: handOff.id });
    await notFound(ops.decline, { id: handOff.id });
    await notFound(ops.renew, { id: loanStarted.id });
    await notFound(`mutation A($input: AuditInput!) { recordAudit(input: $input) { kind } }`, {
      input: { toolId: tool.id, condition: "WORN" },
    });
    await notFound(`mutation R($input: RepairInput!) { recordRepair(input: $input) { kind } }`, {
      input: { toolId: tool.id, minutes: 10 },
    });

    await forbidden(ops.addTool, { input: { circleId, name: "Planted", category: "misc" } });
    await forbidden(ops.settings, { input: { circleId, maxOpenReservations: 50 } });
    await forbidden(ops.loanPeriod, { input: { circleId, category: "misc", loanDays: 90 } });
    await forbidden(`mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`, { c: circleId });
    await forbidden(`mutation W($c: ID!) { withdrawAsCaretaker(circleId: $c) }`, { c: circleId });
    await forbidden(`mutation C($c: ID!, $s: String!) { commitCaretakerDrawSeed(circleId: $c, seed: $s) { id } }`, {
      c: circleId,
      s: "7".repeat(32),
    });
    await notFound(`query D($id: ID!) { caretakerDraw(id: $id) { id } }`, { id: duo.drawId });
    await notFound(`mutation R($id: ID!, $s: String!) { revealCaretakerDrawSeed(drawId: $id, seed: $s) { id } }`, {
      id: duo.drawId,
      s: "7".repeat(32),
    });
    await forbidden(`mutation P($input: PublishTutorialInput!) { publishTutorial(input: $input) { id } }`, {
      input: { circleId, title: "t", markdown: "m", categories: ["misc"] },
    });
    await forbidden(`query N($c: ID!) { myNotifications(circleId: $c) { items { id } } }`, { c: circleId });
    await forbidden(`query M($c: ID!) { myReservations(circleId: $c) { id } }`, { c: circleId });
    for (const field of [
      "tools { items { id } }",
      "caretakers { cycle }",
      "toolLibrarySettings { maxOpenReservations }",
      "isCaretakerVolunteer",
      "nextCaretakerDraw { id }",
      "loanMap(cycle: null) { cycle }",
    ]) {
      if (field.startsWith("loanMap")) continue;
      await forbidden(circleField(field), { c: circleId });
    }
    await forbidden(
      `query F($c: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { loanMap(cycle: $cycle) { cycle } } } }`,
      {
        c: circleId,
        cycle: cycleContaining(clock()).label,
      },
    );
    const entity = await succeed(
      service.url,
      `query T($t: ID!) { _entities(representations: [{ __typename: "Tool", id: $t }]) { ... on Tool { id name } } }`,
      { t: tool.id },
      as,
    );
    expect(entity._entities).toEqual([null]);
    const mine = await succeed(
      service.url,
      `query T($t: ID!) { _entities(representations: [{ __typename: "Tool", id: $t }]) { ... on Tool { id name } } }`,
      { t: tool.id },
      organizer.token,
    );
    expect(mine._entities).toEqual([{ id: tool.id, name: "Cordless drill" }]);

    expect(await circleSnapshot(service.runtime.db, circleId)).toEqual(before);
  });

  it("is not found through the gateway either", async () => {
    const { gatewayUrl } = hubEnvironment();
    const host = await testMember(randomUUID());
    const outsider = await testMember(randomUUID());
    const tool = await addTool(gatewayUrl, host);
    expect(await failure(gatewayUrl, ops.tool, { id: tool.id }, outsider.token)).toMatchObject({
      code: "NOT_FOUND",
      message: "No tool with that id in your circles.",
    });
    expect(await failure(gatewayUrl, ops.reserve, { toolId: tool.id }, outsider.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await succeed(gatewayUrl, ops.tool, { id: tool.id }, host.token)).tool.id).toBe(tool.id);
  });
});

import { randomBytes, randomUUID } from "node:crypto";
import { commitWitnessSeed, cycleByLabelOrThrow, drawSealKey, precedingCycle } from "@rhizome/kit";
import { failure, succeed, type TestMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { CARETAKER_DRAW_PURPOSE } from "../src/domain/caretakers.js";
import { drawCaretakers } from "../src/jobs/caretaker-draw.js";

/** The operations the tests send, written once. */
export const ops = {
  addTool: `mutation AddTool($input: AddToolInput!) { addTool(input: $input) { id name category description safetyNotes condition locationCell isAvailable waitingCount host { id } holder { id } circle { id } } }`,
  updateTool: `mutation UpdateTool($input: UpdateToolInput!) { updateTool(input: $input) { id name category condition locationCell } }`,
  retireTool: `mutation Retire($toolId: ID!) { retireTool(toolId: $toolId) { id condition retiredAt } }`,
  tool: `query Tool($id: ID!) { tool(id: $id) { id name condition holder { id } host { id } waitingCount isAvailable needsAudit currentLoan { id dueAt renewals borrower { id } isOverdue } pendingHandOff { id } } }`,
  tools: `query Tools($circleId: ID!, $search: ToolSearchInput, $first: Int, $after: String) {
    _entities(representations: [{ __typename: "Circle", id: $circleId }]) { ... on Circle { tools(search: $search, first: $first, after: $after) { items { id name category isAvailable } nextCursor } } } }`,
  reserve: `mutation Reserve($toolId: ID!) { reserveTool(toolId: $toolId) { id number place status member { id } } }`,
  cancelReservation: `mutation Cancel($id: ID!) { cancelReservation(reservationId: $id) { id status place } }`,
  queue: `query Queue($id: ID!) { tool(id: $id) { queue(first: 500) { items { id number place member { id } } nextCursor } } }`,
  propose: `mutation Propose($toolId: ID!, $to: ID!) { proposeHandOff(toolId: $toolId, toMemberId: $to) { id status from { id } to { id } } }`,
  request: `mutation Request($toolId: ID!) { requestHandOff(toolId: $toolId) { id status from { id } to { id } } }`,
  confirm: `mutation Confirm($id: ID!) { confirmHandOff(handOffId: $id) { handOff { id status } loanEnded { id returnedAt } loanStarted { id dueAt borrower { id } } } }`,
  decline: `mutation Decline($id: ID!) { declineHandOff(handOffId: $id) { id status } }`,
  custody: `query Custody($id: ID!) { tool(id: $id) { holder { id } custody(first: 100) { items { holder { id } heldFrom heldUntil } } } }`,
  renew: `mutation Renew($id: ID!) { renewLoan(loanId: $id) { id dueAt renewals } }`,
  settings: `mutation Settings($input: ToolLibrarySettingsInput!) { setToolLibrarySettings(input: $input) { maxOpenReservations reminderIntervalHours } }`,
  loanPeriod: `mutation Period($input: LoanPeriodInput!) { setLoanPeriod(input: $input) { loanPeriods { category loanDays } } }`,
};

export interface AddedTool {
  id: string;
  name: string;
  isAvailable: boolean;
}

export async function addTool(
  url: string,
  member: TestMember,
  input: Record<string, unknown> = {},
): Promise<AddedTool> {
  const data = await succeed(
    url,
    ops.addTool,
    { input: { circleId: member.circleId, name: "Cordless drill", category: "power tools", ...input } },
    member.token,
  );
  return data.addTool;
}

export async function handOver(url: string, toolId: string, from: TestMember, to: TestMember) {
  const proposed = (await succeed(url, ops.propose, { toolId, to: to.memberId }, from.token)).proposeHandOff;
  return (await succeed(url, ops.confirm, { id: proposed.id }, to.token)).confirmHandOff;
}

export { failure, succeed };

/** Draws the caretaker duo of `cycle` as its new moon does, after three witnesses committed during the cycle before. */
export async function drawWitnessedDuo(service: TestService<ToolsConfig>, circleId: string, cycle: string, now: Date) {
  const key = drawSealKey(service.runtime.config.TOKEN_SECRET);
  const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
  for (let i = 0; i < 3; i++) {
    await commitWitnessSeed(
      service.runtime.db,
      key,
      {
        circleId,
        purpose: CARETAKER_DRAW_PURPOSE,
        cycle: gathering,
        memberId: randomUUID(),
        seed: randomBytes(16).toString("hex"),
      },
      now,
    );
  }
  return drawCaretakers(service.runtime.db, key, circleId, cycle, now);
}

import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { stewardDecision } from "../domain/fund.js";
import { decisionsOf, recordStewardDecision } from "../store/fund.js";
import { settingsOf } from "../store/settings.js";
import { requireLockedRequest } from "./fund-access.js";

export interface DecideDisbursementInput {
  requestId: string;
  approve: boolean;
}

/** A steward approves or objects; enough approvals and no objection approve the request, one objection declines it. */
export const decideDisbursement = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, input: DecideDisbursementInput) => {
    const { request, membership } = await requireLockedRequest(context, tx, input.requestId);
    const decisions = await decisionsOf(tx, request.id);
    const settings = await settingsOf(tx, request.circleId);
    return { request, membership, decisions, approvalsNeeded: settings.fundApprovalsNeeded };
  },
  decide: (input: DecideDisbursementInput, { request, membership, decisions, approvalsNeeded }) =>
    stewardDecision(request, { memberId: membership.memberId, approves: input.approve }, decisions, approvalsNeeded),
  apply: ({ tx, now }, decision, { request, membership }) =>
    recordStewardDecision(tx, request, { ...decision, stewardMemberId: membership.memberId }, now),
});

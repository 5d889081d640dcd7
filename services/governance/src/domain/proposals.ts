import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { decidingProblem, type PublishedComposition } from "./composition.js";
import { responseProblem, type ResponseKind } from "./decision-rules.js";
import { futureInstant, MAX_REASON_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH, MAX_VOTING_DAYS } from "./limits.js";

export interface ProposalDraft {
  title: string;
  text: string;
  closesAt: Date;
  amendment?: { articleId?: string | null; title: string; text: string } | null;
}

export interface CheckedProposal {
  title: string;
  text: string;
  closesAt: Date;
  kind: "ORDINARY" | "AMENDMENT";
  amendment: { articleId: string | null; title: string; text: string } | null;
}

/** A title and a text within their limits, each named in its refusal. */
function titleAndText(what: string, draft: { title: string; text: string }): Verdict<{ title: string; text: string }> {
  const title = boundedText(`${what} title`, draft.title, MAX_TITLE_LENGTH);
  if (isRefusal(title)) return title;
  const text = boundedText(`${what} text`, draft.text, MAX_TEXT_LENGTH);
  return isRefusal(text) ? text : { title, text };
}

/**
 * A proposal the body may take: its texts within their limits, its closing within a year, and a body
 * that can decide now (seats taken and the published composition only, never anyone's bloc; a
 * CONFLICT otherwise).
 */
export function checkedProposal(
  draft: ProposalDraft,
  body: { seatedNow: number; published: PublishedComposition | undefined },
  now: Date,
): Verdict<CheckedProposal> {
  const proposal = titleAndText("A proposal's", draft);
  if (isRefusal(proposal)) return proposal;
  const closesAt = futureInstant("closesAt", draft.closesAt, now, MAX_VOTING_DAYS);
  if (isRefusal(closesAt)) return closesAt;
  let amendment: CheckedProposal["amendment"] = null;
  if (draft.amendment) {
    const article = titleAndText("An article's", draft.amendment);
    if (isRefusal(article)) return article;
    amendment = { articleId: draft.amendment.articleId ?? null, ...article };
  }
  const problem = decidingProblem(body.seatedNow, body.published);
  if (problem) return { problem, code: "CONFLICT" };
  return { ...proposal, closesAt, kind: amendment ? "AMENDMENT" : "ORDINARY", amendment };
}

export interface ResponseDraft {
  response: ResponseKind;
  reason?: string | null;
}

/**
 * A response that counts: its reason within its limit (an objection and a veto need one), while voting
 * is open (a CONFLICT after), from a member seated in the body, whatever the seat's kind.
 */
export function checkedResponse(
  draft: ResponseDraft,
  proposal: { status: "OPEN" | "CLOSED"; closesAt: Date },
  isSeated: boolean,
  now: Date,
): Verdict<{ response: ResponseKind; reason: string | null }> {
  const reason = draft.reason?.trim() ? boundedText("A reason", draft.reason, MAX_REASON_LENGTH) : null;
  if (isRefusal(reason)) return reason;
  const problem = responseProblem(draft.response, reason ?? undefined);
  if (problem) return { problem };
  if (proposal.status !== "OPEN" || proposal.closesAt.getTime() <= now.getTime())
    return { problem: `Voting on this proposal closed at ${proposal.closesAt.toISOString()}.`, code: "CONFLICT" };
  if (!isSeated) return { problem: "Only members seated in the body can respond to its proposals." };
  return { response: draft.response, reason };
}

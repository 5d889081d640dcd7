import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  conflict,
  decodeCursor,
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { decidingProblem } from "../domain/composition.js";
import { responseProblem } from "../domain/decision-rules.js";
import { MAX_REASON_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH, MAX_VOTING_DAYS } from "../domain/limits.js";
import { publishedCompositionOf } from "../store/compositions.js";
import { logPage, verifyLog, type StoredEntry } from "../store/decision-log.js";
import {
  insertProposal,
  proposalsOfBody,
  recordResponse,
  responsesOf,
  type Amendment,
  type ProposalRow,
} from "../store/proposals.js";
import { holdsPower } from "../store/roles.js";
import { futureInstant, owned, text } from "./access.js";
import { CreateProposalInput, RespondInput } from "./inputs.js";
import { toLogEntry, toProposal } from "./mappers.js";
import { DecisionLogPage, DecisionLogVerification, MyResponse, Proposal, ProposalPage } from "./types.js";

const DAY_MS = 86_400_000;

@Resolver(() => Proposal)
export class ProposalResolver {
  @Disclose("members")
  @Query(() => Proposal, { description: "A proposal of your circle." })
  async proposal(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Proposal> {
    return toProposal((await owned(context.proposals, id, context, "proposal")).row);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => ProposalPage, { description: "A body's proposals, newest first." })
  async proposals(
    @Arg("bodyId", () => ID) bodyId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<ProposalPage> {
    const { row: body } = await owned(context.bodies, bodyId, context, "body");
    const limit = pageSize(page.first);
    const rows = await proposalsOfBody(context.db, body.id, decodeInstantCursor(page.after), limit + 1);
    // The page names its circle, so the disclosure model can tell the circle's members (the query names only a body).
    return Object.assign(
      new ProposalPage(),
      toPage(rows, limit, (row: ProposalRow) => instantSortKey(row.createdAt, row.id), toProposal),
      { circleId: body.circleId },
    );
  }

  @Disclose("members")
  @Mutation(() => Proposal, {
    description:
      "Puts a proposal to a body, to be decided by the body's rule when voting closes. Needs the power to open proposals in the body (its seated members, or the holders of a role that grants it). A body under 5 seats, or without a published composition, decides by the consent of every seat; so does an amendment in a circle's first six months (every edge seat holds a veto). Nothing here depends on anyone's bloc.",
  })
  async createProposal(
    @Arg("input", () => CreateProposalInput) input: CreateProposalInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Proposal> {
    const { row: body, membership } = await owned(context.bodies, input.bodyId, context, "body");
    const now = context.clock();
    const title = text("A proposal's title", input.title, MAX_TITLE_LENGTH);
    const proposalText = text("A proposal's text", input.text, MAX_TEXT_LENGTH);
    const closesAt = futureInstant("closesAt", input.closesAt, now, MAX_VOTING_DAYS * DAY_MS);
    let amendment: Amendment | null = null;
    if (input.amendment) {
      amendment = {
        articleId: input.amendment.articleId ?? null,
        title: text("An article's title", input.amendment.title, MAX_TITLE_LENGTH),
        text: text("An article's text", input.amendment.text, MAX_TEXT_LENGTH),
      };
      if (amendment.articleId) await owned(context.articles, amendment.articleId, context, "article");
    }
    if (!(await holdsPower(context.db, body.id, membership.memberId, "OPEN_PROPOSALS"))) {
      throw forbidden(
        "Only members seated in this body, or the holders of its role that opens proposals, can put proposals to it.",
      );
    }
    const [seated, published] = await Promise.all([
      context.seatCounts.load(body.id),
      publishedCompositionOf(context.db, body, now),
    ]);
    const problem = decidingProblem(seated.edge + seated.advantaged, published);
    if (problem) throw conflict(problem);
    const row = await insertProposal(
      context.db,
      {
        circleId: body.circleId,
        bodyId: body.id,
        title,
        text: proposalText,
        kind: amendment ? "AMENDMENT" : "ORDINARY",
        amendment,
        closesAt,
        createdBy: membership.memberId,
      },
      now,
    );
    await context.deadlines.closeProposalAt(row.circleId, row.closesAt, now);
    return toProposal(row);
  }

  @Disclose("members")
  @Mutation(() => Proposal, {
    description:
      "Consents, stands aside, objects or vetoes (an objection and a veto need a reason). Seated members only; you may change your response until voting closes.",
  })
  async respond(
    @Arg("input", () => RespondInput) input: RespondInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Proposal> {
    const { row, membership } = await owned(context.proposals, input.proposalId, context, "proposal");
    const reason = input.reason?.trim() ? text("A reason", input.reason, MAX_REASON_LENGTH) : null;
    const problem = responseProblem(input.response, reason ?? undefined);
    if (problem) throw badInput(problem);
    const proposal = await recordResponse(
      context.db,
      { proposalId: row.id, memberId: membership.memberId, response: input.response, reason },
      context.clock(),
    );
    return toProposal(proposal);
  }

  @Disclose("viewer")
  @FieldResolver(() => MyResponse, { nullable: true, description: "Your own response, or null." })
  async myResponse(@Root() proposal: Proposal, @Ctx() context: GovernanceContext): Promise<MyResponse | null> {
    const membership = membershipIn(context.caller, proposal.circle.id);
    if (!membership) return null;
    const [mine] = await responsesOf(context.db, [{ proposalId: proposal.id, memberId: membership.memberId }]);
    return mine ? Object.assign(new MyResponse(), mine) : null;
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => DecisionLogPage, {
    description:
      "Every outcome of your circle's votes, newest first, with its tally, reasons and hash chain. Members only.",
  })
  async decisionLog(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<DecisionLogPage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const cursor = decodeCursor(page.after, 1);
    if (cursor && !(Number.isInteger(cursor[0]) && (cursor[0] as number) > 0))
      throw badInput("The cursor is not one this API gave out; start again without it.");
    const rows = await logPage(context.db, circleId, cursor?.[0] as number | undefined, limit + 1);
    return Object.assign(
      new DecisionLogPage(),
      toPage(rows, limit, (row: StoredEntry) => [row.seq], toLogEntry),
    );
  }

  @Disclose("members")
  @Query(() => DecisionLogVerification, {
    description:
      "Recomputes every hash of your circle's decision log and says whether any entry was changed, removed or inserted. Members only.",
  })
  async verifyDecisionLog(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: GovernanceContext,
  ): Promise<DecisionLogVerification> {
    requireMembership(context.caller, circleId);
    return Object.assign(new DecisionLogVerification(), await verifyLog(context.db, circleId));
  }
}

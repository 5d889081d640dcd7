import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeCursor,
  requireOwned,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { createProposal } from "../actions/create-proposal.js";
import { NO_BODY, NO_PROPOSAL } from "../actions/not-found.js";
import { respond } from "../actions/respond.js";
import { logPage, verifyLog, type StoredEntry } from "../store/decision-log.js";
import { proposalsOfBody, responsesOf } from "../store/proposals.js";
import { CreateProposalInput, RespondInput } from "./inputs.js";
import { toLogEntry, toProposal } from "./mappers.js";
import { DecisionLogPage, DecisionLogVerification, MyResponse, Proposal, ProposalPage } from "./types.js";

@Resolver(() => Proposal)
export class ProposalResolver {
  @Disclose("members")
  @Query(() => Proposal, { description: "A proposal of your circle." })
  async proposal(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Proposal> {
    return toProposal((await requireOwned(context.caller, id, (key) => context.proposals.load(key), NO_PROPOSAL)).row);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => ProposalPage, { description: "A body's proposals, newest first." })
  async proposals(
    @Arg("bodyId", () => ID) bodyId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<ProposalPage> {
    const { row: body } = await requireOwned(context.caller, bodyId, (key) => context.bodies.load(key), NO_BODY);
    const proposals = await newestFirstPage(
      ProposalPage,
      page,
      (after, limit) => proposalsOfBody(context.db, body.id, after, limit),
      (row) => row.createdAt,
      toProposal,
    );
    // The page names its circle, so the disclosure model can tell the circle's members (the query names only a body).
    return Object.assign(proposals, { circleId: body.circleId });
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
    return toProposal(await createProposal(context, { ...input }));
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
    return toProposal(await respond(context, { ...input }));
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

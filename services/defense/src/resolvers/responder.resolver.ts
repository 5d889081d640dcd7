import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  decodeCursor,
  Disclose,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requireRole,
  toPage,
} from "@rhizome/kit";
import { createResponderBranch } from "../actions/create-responder-branch.js";
import { joinResponders } from "../actions/join-responders.js";
import { leaveResponders } from "../actions/leave-responders.js";
import { shareContactWithWebhook } from "../actions/share-contact-with-webhook.js";
import { trustResponder } from "../actions/trust-responder.js";
import type { DefenseContext } from "../context.js";
import type { ContactKind } from "../domain/alerts.js";
import {
  branchesOfCircle,
  responderCountsByBranch,
  responderOfMember,
  respondersOfCircle,
} from "../store/responders.js";
import { CreateResponderBranchInput, JoinRespondersInput } from "./inputs.js";
import { toBranch, toResponder } from "./mappers.js";
import { Responder, ResponderBranch, ResponderPage } from "./types.js";

const isOwnResponder = (context: DefenseContext, responder: Responder) =>
  membershipIn(context.caller, responder.circleId)?.memberId === responder.memberId;

@Resolver(() => Responder)
export class ResponderResolver {
  @Disclose("members")
  @Query(() => [ResponderBranch], {
    description: "The branches of a circle's alert tree. Members only: whoever joins picks a branch.",
  })
  async responderBranches(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<ResponderBranch[]> {
    requireMembership(context.caller, circleId);
    const [branches, counts] = await Promise.all([
      branchesOfCircle(context.db, circleId),
      responderCountsByBranch(context.db, circleId),
    ]);
    return branches.map((b) => toBranch(b, counts.get(b.id) ?? 0));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => ResponderPage, {
    description:
      "The circle's active responders, in joining order, for its organizers to decide whom to trust. A responder reads their own place with myResponder, never the tree: with it and an alert's steps, they could tell whose call went unanswered.",
  })
  async responders(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<ResponderPage> {
    requireRole(context.caller, circleId, "organizer");
    const limit = pageSize(page.first);
    const after = decodeCursor(page.after, 1);
    const rows = await respondersOfCircle(context.db, circleId, after ? Number(after[0]) : undefined, limit + 1);
    return Object.assign(
      new ResponderPage(),
      toPage(rows, limit, (row) => [row.position], toResponder),
    );
  }

  @Disclose("stewards")
  @Mutation(() => ResponderBranch, {
    description: "Adds a branch to the circle's alert tree, under a parent or at the top. Organizers only.",
  })
  async createResponderBranch(
    @Arg("input", () => CreateResponderBranchInput) input: CreateResponderBranchInput,
    @Ctx() context: DefenseContext,
  ): Promise<ResponderBranch> {
    return toBranch(await createResponderBranch(context, { ...input }), 0);
  }

  @Disclose("members")
  @Mutation(() => Responder, {
    description:
      "Join (or change your place among) the circle's responders, with a contact channel that is stored encrypted.",
  })
  async joinResponders(
    @Arg("input", () => JoinRespondersInput) input: JoinRespondersInput,
    @Ctx() context: DefenseContext,
  ): Promise<Responder> {
    return toResponder(await joinResponders(context, { ...input, contactKind: input.contactKind as ContactKind }));
  }

  @Disclose("members")
  @Mutation(() => Boolean, { description: "Stop being a responder of the circle; false if you were not one." })
  async leaveResponders(@Arg("circleId", () => ID) circleId: string, @Ctx() context: DefenseContext): Promise<boolean> {
    return leaveResponders(context, circleId);
  }

  @Disclose("stewards")
  @Mutation(() => Responder, {
    description: "Makes a responder trusted (they verify alerts), or not. Organizers only.",
  })
  async trustResponder(
    @Arg("responderId", () => ID) responderId: string,
    @Arg("isTrusted", () => Boolean, { defaultValue: true }) isTrusted: boolean,
    @Ctx() context: DefenseContext,
  ): Promise<Responder> {
    return toResponder(await trustResponder(context, { responderId, isTrusted }));
  }

  @Disclose("self")
  @Query(() => Responder, {
    nullable: true,
    description: "Your own place among the circle's responders, if you are one.",
  })
  async myResponder(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Responder | null> {
    const membership = requireMembership(context.caller, circleId);
    const row = await responderOfMember(context.db, circleId, membership.memberId);
    return row ? toResponder(row) : null;
  }

  @Disclose("members")
  @Mutation(() => Responder, {
    description:
      "Agree that the circle's webhook, at exactly this URL, may receive your contact detail to reach you (url as defenseWebhook shows it); null withdraws. A new URL needs a new agreement: nothing is sent to a webhook you did not agree to.",
  })
  async shareContactWithWebhook(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("url", () => String, { nullable: true }) url: string | null,
    @Ctx() context: DefenseContext,
  ): Promise<Responder> {
    return toResponder(await shareContactWithWebhook(context, { circleId, url }));
  }

  @Disclose("self")
  @FieldResolver(() => String, {
    nullable: true,
    description: "The contact detail (stored encrypted): only the responder themself reads it.",
  })
  async contact(@Root() responder: Responder, @Ctx() context: DefenseContext): Promise<string | null> {
    if (!isOwnResponder(context, responder) || !responder.contactSealed) return null;
    return context.vault.open(context.db, responder.circleId, "contact", responder.id, responder.contactSealed);
  }

  @Disclose("self")
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The webhook URL you agreed may receive your contact; null if none. Only the responder themself reads it.",
  })
  contactSharedWith(@Root() responder: Responder, @Ctx() context: DefenseContext): string | null {
    return isOwnResponder(context, responder) ? responder.contactSharedWithUrl : null;
  }
}

import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeCursor,
  Disclose,
  forbidden,
  isUuid,
  membershipIn,
  notFound,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requireOwnedRow,
  requireRole,
  toPage,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { MAX_CONTACT_LENGTH, shiftsProblem, type ContactKind } from "../domain/alerts.js";
import { boundedText } from "../domain/places.js";
import {
  branchesOfCircle,
  createBranch,
  joinResponders,
  leaveResponders,
  responderCountsByBranch,
  responderOfMember,
  respondersOfCircle,
  setTrusted,
  shareContactWith,
} from "../store/responders.js";
import { webhookOfCircle } from "../store/webhooks.js";
import { requireResponder } from "./access.js";
import { CreateResponderBranchInput, JoinRespondersInput } from "./inputs.js";
import { toBranch, toResponder } from "./mappers.js";
import { Responder, ResponderBranch, ResponderPage } from "./types.js";

const NO_RESPONDER = "No responder with that id in your circles.";

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
    requireRole(context.caller, input.circleId, "organizer");
    const name = boundedText(input.name, "A branch's name", 40);
    if ("problem" in name) throw badInput(name.problem);
    if (input.parentBranchId && !isUuid(input.parentBranchId)) throw notFound("No branch with that id in this circle.");
    const row = await context.db.transaction((manager) =>
      createBranch(
        manager,
        { circleId: input.circleId, name: name.text, parentBranchId: input.parentBranchId },
        context.clock(),
      ),
    );
    return toBranch(row, 0);
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
    const membership = requireMembership(context.caller, input.circleId);
    if (!isUuid(input.branchId)) throw notFound("No branch with that id in this circle.");
    const problem = shiftsProblem(input.shifts);
    if (problem) throw badInput(problem);
    let contact: string | null = null;
    if (input.contactKind === "INBOX") {
      if (input.contact)
        throw badInput("An INBOX responder gives no contact detail; choose SMS, SIGNAL or EMAIL to give one.");
    } else {
      const checked = boundedText(input.contact ?? "", `A ${input.contactKind} contact`, MAX_CONTACT_LENGTH);
      if ("problem" in checked) throw badInput(checked.problem);
      contact = checked.text;
    }
    const row = await context.db.transaction((manager) =>
      joinResponders(
        manager,
        context.vault,
        {
          circleId: input.circleId,
          memberId: membership.memberId,
          branchId: input.branchId,
          contactKind: input.contactKind as ContactKind,
          contact,
          shifts: input.shifts,
        },
        context.clock(),
      ),
    );
    return toResponder(row);
  }

  @Disclose("members")
  @Mutation(() => Boolean, { description: "Stop being a responder of the circle; false if you were not one." })
  async leaveResponders(@Arg("circleId", () => ID) circleId: string, @Ctx() context: DefenseContext): Promise<boolean> {
    const membership = requireMembership(context.caller, circleId);
    return leaveResponders(context.db, circleId, membership.memberId, context.clock());
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
    const { row, membership } = requireOwnedRow(
      context.caller,
      isUuid(responderId) ? await context.responders.load(responderId) : undefined,
      NO_RESPONDER,
      "organizer",
    );
    // Trusted responders read every alert of the circle: an organizer cannot grant that to themself.
    if (row.memberId === membership.memberId)
      throw forbidden("An organizer does not trust themself; another organizer decides.");
    const updated = await setTrusted(context.db, row.id, isTrusted);
    return toResponder(updated!);
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
    const { responder } = await requireResponder(context, circleId, "share a contact with the circle's webhook");
    if (url !== null) {
      if (!responder.contactSealed)
        throw badInput(
          "You are reached through the inbox only; join the responders with an SMS, SIGNAL or EMAIL contact to share one.",
        );
      const webhook = await webhookOfCircle(context.db, circleId);
      if (!webhook) throw badInput("The circle has no webhook to share your contact with.");
      if (webhook.url !== url)
        throw badInput(
          "That is not the circle's webhook URL (it may have changed); read it with defenseWebhook and agree to the URL you see.",
        );
    }
    return toResponder(await shareContactWith(context.db, responder.id, url));
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

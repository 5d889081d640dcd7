import {
  Arg,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from "type-graphql";
import {
  badInput,
  Disclose,
  discloseAs,
  forbidden,
  isUuid,
  membershipIn,
  notFound,
  requireMembership,
  requireOwnedRow,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { boundedText } from "../domain/places.js";
import {
  appointMediator,
  disputeById,
  disputesOfCircle,
  offerMediation,
  openDispute,
  recordSession,
  requireMediator,
  resolveDispute,
  type DisputeRow,
} from "../store/disputes.js";
import { memberRef } from "./mappers.js";
import { DefenseMember } from "./types.js";

const OutcomeEnum = { AGREEMENT: "AGREEMENT", NO_AGREEMENT: "NO_AGREEMENT" } as const;
registerEnumType(OutcomeEnum, { name: "MediationOutcome" });

export const MAX_PARTIES = 6;
export const MAX_SUMMARY_LENGTH = 1000;

@InputType()
class OpenDisputeInput {
  @Field(() => ID) circleId!: string;
  @Field(() => [String], {
    description: `2 to ${MAX_PARTIES} pseudonyms for the parties ("the upstairs flat"); never names.`,
  })
  parties!: string[];
  @Field(() => String, {
    description: `1 to ${MAX_SUMMARY_LENGTH} characters; stored encrypted, read by the opener and the mediators.`,
  })
  summary!: string;
}

@Disclose("members")
@ObjectType({ description: "A dispute the circle mediates instead of calling police." })
class Dispute {
  @Field(() => ID) id!: string;
  @Field(() => [String]) parties!: string[];
  @Field(() => String, { description: "OPEN, IN_MEDIATION, RESOLVED or UNRESOLVED." }) status!: string;
  @Field(() => OutcomeEnum, { nullable: true }) outcome!: string | null;
  @Field(() => Boolean, { nullable: true }) policeInvolved!: boolean | null;
  @Field(() => Int) mediators!: number;
  @Field(() => [Date]) sessions!: Date[];
  @Disclose("viewer") @Field(() => Boolean) amMediator!: boolean;
  @Disclose("viewer")
  @Field(() => Boolean, {
    description: "You offered to mediate, or the stewards asked you to, and it is not settled yet.",
  })
  hasPendingOfferFromMe!: boolean;
  @Disclose("self")
  @Field(() => [DefenseMember], {
    nullable: true,
    description: "Members who offered to mediate, for its opener to accept (acceptMediator); null for everyone else.",
  })
  mediationOffers!: DefenseMember[] | null;
  @Disclose("handlers")
  @Field(() => String, { nullable: true, description: "Only for whoever opened it and its mediators." })
  summary!: string | null;
  @Field(() => Date) openedAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
}

const NO_DISPUTE = "No dispute with that id in your circles.";

async function toDispute(context: DefenseContext, row: DisputeRow): Promise<Dispute> {
  const memberId = membershipIn(context.caller, row.circleId)?.memberId ?? "";
  const amMediator = row.mediatorMemberIds.includes(memberId);
  const canReadSummary = amMediator || row.openedByMemberId === memberId;
  const isOpener = row.openedByMemberId === memberId;
  const dispute = Object.assign(new Dispute(), {
    ...row,
    mediators: row.mediatorMemberIds.length,
    amMediator,
    hasPendingOfferFromMe: row.offeredMemberIds.includes(memberId) || row.assignedMemberIds.includes(memberId),
    mediationOffers: isOpener ? row.offeredMemberIds.map(memberRef) : null,
    summary: canReadSummary
      ? await context.vault.open(context.db, row.circleId, "dispute-summary", row.id, row.summarySealed)
      : null,
  });
  return discloseAs(dispute, {
    circleId: row.circleId,
    memberId: row.openedByMemberId,
    handlerMemberIds: row.mediatorMemberIds,
  });
}

async function requireDispute(context: DefenseContext, disputeId: string) {
  return requireOwnedRow(
    context.caller,
    isUuid(disputeId) ? await disputeById(context.db, disputeId) : undefined,
    NO_DISPUTE,
  );
}

@Resolver()
export class DisputeResolver {
  @Disclose("members")
  @Mutation(() => Dispute, { description: "Asks the circle to mediate a dispute. Members only." })
  async openDispute(
    @Arg("input", () => OpenDisputeInput) input: OpenDisputeInput,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const membership = requireMembership(context.caller, input.circleId);
    const parties = [...new Set(input.parties.map((p) => p.trim()))];
    if (parties.length < 2 || parties.length > MAX_PARTIES || parties.some((p) => p.length === 0 || p.length > 40)) {
      throw badInput(`A dispute has 2 to ${MAX_PARTIES} different parties, each a pseudonym of 1 to 40 characters.`);
    }
    const summary = boundedText(input.summary, "A summary", MAX_SUMMARY_LENGTH);
    if ("problem" in summary) throw badInput(summary.problem);
    const row = await context.db.transaction((manager) =>
      openDispute(
        manager,
        context.vault,
        { circleId: input.circleId, memberId: membership.memberId, parties, summary: summary.text },
        context.clock(),
      ),
    );
    return toDispute(context, row);
  }

  @Disclose("members")
  @Mutation(() => Dispute, {
    description:
      "Offer to mediate a dispute (not one you opened). You read nothing of it until its opener accepts your offer. Members only.",
  })
  async offerMediation(
    @Arg("disputeId", () => ID) disputeId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    if (row.openedByMemberId === membership.memberId) throw forbidden("Whoever opened a dispute does not mediate it.");
    return toDispute(
      context,
      await context.db.transaction((manager) =>
        offerMediation(manager, row, membership.memberId, null, context.clock()),
      ),
    );
  }

  @Disclose("members")
  @Mutation(() => Dispute, {
    description:
      "Accepts a member's offer to mediate your dispute: they become its mediator and read its summary and notes. Whoever opened it only.",
  })
  async acceptMediator(
    @Arg("disputeId", () => ID) disputeId: string,
    @Arg("memberId", () => ID) memberId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    if (row.openedByMemberId !== membership.memberId)
      throw forbidden("Only whoever opened a dispute accepts its mediators.");
    const appointed = isUuid(memberId)
      ? await context.db.transaction((manager) => appointMediator(manager, row, memberId, "offered", context.clock()))
      : undefined;
    if (!appointed) throw notFound("No offer to mediate from that member on this dispute.");
    return toDispute(context, appointed);
  }

  @Disclose("members")
  @Mutation(() => Dispute, {
    description:
      "Asks a member to mediate a dispute; they become its mediator once they consent (acceptMediation). Stewards only.",
  })
  async assignMediator(
    @Arg("disputeId", () => ID) disputeId: string,
    @Arg("memberId", () => ID) memberId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    if (!membership.roles.includes("steward")) throw forbidden("Only the circle's stewards assign mediators.");
    if (!isUuid(memberId)) throw badInput("memberId is not a member id.");
    if (memberId === row.openedByMemberId) throw badInput("Whoever opened a dispute does not mediate it.");
    return toDispute(
      context,
      await context.db.transaction((manager) =>
        offerMediation(manager, row, memberId, membership.memberId, context.clock()),
      ),
    );
  }

  @Disclose("members")
  @Mutation(() => Dispute, {
    description:
      "Consents to mediate a dispute the stewards asked you to; only then you read its summary and notes. To offer on your own, use offerMediation.",
  })
  async acceptMediation(
    @Arg("disputeId", () => ID) disputeId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    const appointed = await context.db.transaction((manager) =>
      appointMediator(manager, row, membership.memberId, "assigned", context.clock()),
    );
    if (!appointed)
      throw forbidden("Nobody asked you to mediate this dispute: offer with offerMediation, and its opener decides.");
    return toDispute(context, appointed);
  }

  @Disclose("members")
  @Mutation(() => Dispute, { description: "Records a mediation session. Mediators only." })
  async recordMediationSession(
    @Arg("disputeId", () => ID) disputeId: string,
    @Arg("heldAt", () => Date) heldAt: Date,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    requireMediator(row, membership.memberId);
    if (heldAt.getTime() > context.clock().getTime()) throw badInput("A session is recorded once it has been held.");
    return toDispute(
      context,
      await context.db.transaction((manager) => recordSession(manager, row, membership.memberId, heldAt)),
    );
  }

  @Disclose("members")
  @Mutation(() => Dispute, {
    description:
      "Records how the dispute ended; an agreement without police counts as a mediation instead of police. Mediators only, and only once at least one session is recorded with `recordMediationSession` (CONFLICT before).",
  })
  async resolveDispute(
    @Arg("disputeId", () => ID) disputeId: string,
    @Arg("outcome", () => OutcomeEnum) outcome: "AGREEMENT" | "NO_AGREEMENT",
    @Arg("policeInvolved", () => Boolean) policeInvolved: boolean,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    const { row, membership } = await requireDispute(context, disputeId);
    requireMediator(row, membership.memberId);
    const resolved = await context.db.transaction((manager) =>
      resolveDispute(manager, context.vault, row, outcome, policeInvolved, context.clock()),
    );
    context.eventsEmitted();
    return toDispute(context, resolved);
  }

  @Disclose("members")
  @Query(() => [Dispute], {
    description:
      "The circle's disputes, newest first (at most 100). Members only; summaries for their opener and mediators.",
  })
  async disputes(@Arg("circleId", () => ID) circleId: string, @Ctx() context: DefenseContext): Promise<Dispute[]> {
    requireMembership(context.caller, circleId);
    return Promise.all((await disputesOfCircle(context.db, circleId, 100)).map((row) => toDispute(context, row)));
  }
}

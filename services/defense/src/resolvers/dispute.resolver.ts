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
import { Disclose, discloseAs, membershipIn, requireMembership } from "@rhizome/kit";
import { acceptMediation } from "../actions/accept-mediation.js";
import { acceptMediator } from "../actions/accept-mediator.js";
import { assignMediator } from "../actions/assign-mediator.js";
import { offerMediation } from "../actions/offer-mediation.js";
import { openDispute } from "../actions/open-dispute.js";
import { recordMediationSession } from "../actions/record-mediation-session.js";
import { resolveDispute } from "../actions/resolve-dispute.js";
import type { DefenseContext } from "../context.js";
import { MAX_PARTIES, MAX_SUMMARY_LENGTH } from "../domain/disputes.js";
import { disputesOfCircle, type DisputeRow } from "../store/disputes.js";
import { memberRef } from "./mappers.js";
import { DefenseMember } from "./types.js";

const OutcomeEnum = { AGREEMENT: "AGREEMENT", NO_AGREEMENT: "NO_AGREEMENT" } as const;
registerEnumType(OutcomeEnum, { name: "MediationOutcome" });

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

@Resolver()
export class DisputeResolver {
  @Disclose("members")
  @Mutation(() => Dispute, { description: "Asks the circle to mediate a dispute. Members only." })
  async openDispute(
    @Arg("input", () => OpenDisputeInput) input: OpenDisputeInput,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    return toDispute(context, await openDispute(context, { ...input }));
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
    return toDispute(context, await offerMediation(context, disputeId));
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
    return toDispute(context, await acceptMediator(context, { disputeId, memberId }));
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
    return toDispute(context, await assignMediator(context, { disputeId, memberId }));
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
    return toDispute(context, await acceptMediation(context, disputeId));
  }

  @Disclose("members")
  @Mutation(() => Dispute, { description: "Records a mediation session. Mediators only." })
  async recordMediationSession(
    @Arg("disputeId", () => ID) disputeId: string,
    @Arg("heldAt", () => Date) heldAt: Date,
    @Ctx() context: DefenseContext,
  ): Promise<Dispute> {
    return toDispute(context, await recordMediationSession(context, { disputeId, heldAt }));
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
    return toDispute(context, await resolveDispute(context, { disputeId, outcome, policeInvolved }));
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

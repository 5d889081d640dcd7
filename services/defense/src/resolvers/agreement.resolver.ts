import { Arg, Args, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  isUuid,
  notFound,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  pageSize,
  requireMembership,
  suppressSmallCount,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { publishAgreement } from "../actions/publish-agreement.js";
import { signAgreement } from "../actions/sign-agreement.js";
import { currentAgreement, hasSigned, signatureCount, signersOf, type AgreementRow } from "../store/agreements.js";
import { requireResponder } from "../actions/access.js";
import { memberRef } from "./mappers.js";
import { DefenseMember } from "./types.js";

@Disclose("members")
@ObjectType({ description: "A version of the circle's one-page solidarity agreement." })
class SolidarityAgreement {
  @Field(() => Int) version!: number;
  @Field(() => String) text!: string;
  @Field(() => Date) publishedAt!: Date;
  @Disclose("viewer") @Field(() => Boolean) signedByMe!: boolean;
}

@Disclose("public")
@ObjectType({ description: "How many signed the current version; null when fewer than 5. Anyone." })
class AgreementSignatureCount {
  @Field(() => Int, { nullable: true }) version!: number | null;
  @Field(() => Int, { nullable: true }) signatures!: number | null;
}

@Disclose("members")
@ObjectType()
class AgreementSigner {
  @Field(() => DefenseMember) member!: DefenseMember;
  @Field(() => Date) signedAt!: Date;
}

@Disclose("public")
@ObjectType()
class AgreementSignerPage extends PageOf(AgreementSigner) {}

async function toAgreementType(
  context: DefenseContext,
  row: AgreementRow,
  memberId: string,
): Promise<SolidarityAgreement> {
  return Object.assign(new SolidarityAgreement(), {
    version: row.version,
    text: row.text,
    publishedAt: row.publishedAt,
    signedByMe: await hasSigned(context.db, row.id, memberId),
  });
}

@Resolver()
export class AgreementResolver {
  @Disclose("stewards")
  @Mutation(() => SolidarityAgreement, {
    description: "Publishes a new version of the circle's solidarity agreement. Organizers only.",
  })
  async publishAgreement(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("text", () => String) text: string,
    @Ctx() context: DefenseContext,
  ): Promise<SolidarityAgreement> {
    const { agreement, memberId } = await publishAgreement(context, { circleId, text });
    return toAgreementType(context, agreement, memberId);
  }

  @Disclose("members")
  @Mutation(() => SolidarityAgreement, { description: "Sign a version of the circle's agreement. Members only." })
  async signAgreement(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("version", () => Int) version: number,
    @Ctx() context: DefenseContext,
  ): Promise<SolidarityAgreement> {
    const { agreement, memberId } = await signAgreement(context, { circleId, version });
    return toAgreementType(context, agreement, memberId);
  }

  @Disclose("members")
  @Query(() => SolidarityAgreement, { nullable: true, description: "The circle's current agreement. Members only." })
  async solidarityAgreement(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<SolidarityAgreement | null> {
    const membership = requireMembership(context.caller, circleId);
    const row = await currentAgreement(context.db, circleId);
    return row ? toAgreementType(context, row, membership.memberId) : null;
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => AgreementSignerPage, {
    description: "Who signed the current version, latest first. The circle's responders only.",
  })
  async agreementSigners(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<AgreementSignerPage> {
    await requireResponder(context, circleId, "see who signed the agreement");
    const row = await currentAgreement(context.db, circleId);
    if (!row) throw notFound("The circle has not published an agreement yet.");
    const limit = pageSize(page.first);
    const signers = await signersOf(context.db, row.id, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new AgreementSignerPage(),
      toPage(
        signers,
        limit,
        (s) => instantSortKey(s.signedAt, s.memberId),
        (s) => Object.assign(new AgreementSigner(), { member: memberRef(s.memberId), signedAt: s.signedAt }),
      ),
    );
  }

  @Disclose("public")
  @Query(() => AgreementSignatureCount, {
    description: "How many signed the circle's current agreement; null under 5. Anyone.",
  })
  async agreementSignatureCount(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<AgreementSignatureCount> {
    const row = isUuid(circleId) ? await currentAgreement(context.db, circleId) : undefined;
    return Object.assign(new AgreementSignatureCount(), {
      version: row?.version ?? null,
      signatures: row ? suppressSmallCount(await signatureCount(context.db, row.id)) : null,
    });
  }
}

import {
  Arg,
  Args,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  isUuid,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  pageSize,
  publishIfEnoughPeople,
  requireMembership,
  requireRole,
  toPage,
  Disclose,
  discloseAs,
} from "@rhizome/kit";
import { decideDisbursement } from "../actions/decide-disbursement.js";
import { requireRequest } from "../actions/fund-access.js";
import { pledge } from "../actions/pledge.js";
import { recordContribution } from "../actions/record-contribution.js";
import { recordDisbursement } from "../actions/record-disbursement.js";
import { requestDisbursement } from "../actions/request-disbursement.js";
import { withdrawDisbursementRequest } from "../actions/withdraw-disbursement-request.js";
import { withdrawFundPledge } from "../actions/withdraw-fund-pledge.js";
import type { DefenseContext } from "../context.js";
import { MAX_REASON_LENGTH, publishedHoldings, publishOutflows, purposes, type Purpose } from "../domain/fund.js";
import {
  cycleFlows,
  flowsByCycle,
  disbursementsOfCircle,
  disbursementsOfMember,
  fundPledgesOfMember,
  heldBalances,
  type DisbursementRow,
} from "../store/fund.js";
import { circleRef, memberRef } from "./mappers.js";
import { DefenseCircle, DefenseMember } from "./types.js";

const PurposeEnum = Object.fromEntries(purposes.map((p) => [p, p])) as { [K in Purpose]: K };
registerEnumType(PurposeEnum, {
  name: "DisbursementPurpose",
  description: "What a disbursement pays for; totals are published per purpose.",
});

@InputType()
class PledgeInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Int, { description: "Minor units (cents)." }) amountMinor!: number;
  @Field(() => String, { description: "ISO 4217, e.g. EUR." }) currency!: string;
}

@InputType()
class RecordContributionInput extends PledgeInput {
  @Field(() => ID, { nullable: true }) pledgeId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The same key records the contribution once, however often it is sent.",
  })
  idempotencyKey?: string | null;
}

@InputType()
class RequestDisbursementInput extends PledgeInput {
  @Field(() => PurposeEnum) purpose!: string;
  @Field(() => String, {
    description: `A short reason, 1 to ${MAX_REASON_LENGTH} characters; stored encrypted, read by the fund's stewards only.`,
  })
  reason!: string;
}

@Disclose("viewer")
@ObjectType()
class FundPledge {
  @Field(() => ID) id!: string;
  @Field(() => Int) amountMinor!: number;
  @Field(() => String) currency!: string;
  @Field(() => Date) pledgedAt!: Date;
  @Field(() => Date, { nullable: true, description: "When you withdrew it; null while it stands." })
  withdrawnAt!: Date | null;
}

@Disclose("self")
@ObjectType()
class FundPledgePage extends PageOf(FundPledge) {}

@Disclose("members")
@ObjectType({
  description:
    "What the fund holds in one currency: live for stewards; for members, as at the end of a closed cycle, under the privacy rule for who received money.",
})
class FundHolding {
  @Field(() => String) currency!: string;
  @Field(() => Int, { nullable: true, description: "Minor units; null for members until a figure could be published." })
  heldMinor!: number | null;
  @Field(() => String, {
    nullable: true,
    description: "The closed cycle whose end the figure describes; null when it is live (stewards).",
  })
  asOfCycle!: string | null;
}

const liveHolding = (h: { currency: string; heldMinor: number }) =>
  Object.assign(new FundHolding(), { ...h, asOfCycle: null });

@Directive('@key(fields: "id")')
@Disclose("stewards")
@ObjectType({
  description:
    "A request for money from the fund. The recipient and reason are seen by the fund's stewards and the recipient only.",
})
export class Disbursement {
  @Field(() => ID) id!: string;
  @Field(() => DefenseCircle) circle!: DefenseCircle;
  @Field(() => DefenseMember) recipient!: DefenseMember;
  @Field(() => Int) amountMinor!: number;
  @Field(() => String) currency!: string;
  @Field(() => PurposeEnum) purpose!: string;
  @Field(() => String, {
    description: "REQUESTED, APPROVED, DECLINED, PAID or WITHDRAWN (by its recipient, before the stewards decided).",
  })
  status!: string;
  @Field(() => Date) requestedAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;
  row!: DisbursementRow;
}

@Disclose("public")
@ObjectType()
class DisbursementPage extends PageOf(Disbursement) {}

@Disclose("public")
@ObjectType()
class PurposeTotal {
  @Field(() => PurposeEnum) purpose!: string;
  @Field(() => Int, { nullable: true, description: "Null when fewer than 5 people received money for this purpose." })
  amountMinor!: number | null;
  @Field(() => Int, { nullable: true }) recipients!: number | null;
}

@Disclose("public")
@ObjectType({ description: "A currency's public totals for one ended cycle. Recipients are never published." })
class FundCurrencyTotals {
  @Field(() => String) currency!: string;
  @Field(() => Int, { nullable: true, description: "Null when fewer than 5 contributions." }) totalInMinor!:
    number | null;
  @Field(() => Int, { nullable: true, description: "Null when it would reveal a suppressed purpose." }) totalOutMinor!:
    number | null;
  @Field(() => [PurposeTotal]) outByPurpose!: PurposeTotal[];
}

@Disclose("public")
@ObjectType()
class FundTotals {
  @Field(() => String) cycle!: string;
  @Field(() => [FundCurrencyTotals]) currencies!: FundCurrencyTotals[];
}

export function toDisbursement(row: DisbursementRow): Disbursement {
  const disbursement = Object.assign(new Disbursement(), {
    ...row,
    circle: circleRef(row.circleId),
    recipient: memberRef(row.recipientMemberId),
    row,
  });
  return discloseAs(disbursement, { circleId: row.circleId, memberId: row.recipientMemberId });
}

/** Stewards see every request of their circle; a recipient sees their own. */
export function canSeeDisbursement(context: DefenseContext, row: DisbursementRow): boolean {
  const membership = membershipIn(context.caller, row.circleId);
  return !!membership && (membership.roles.includes("steward") || membership.memberId === row.recipientMemberId);
}

@Resolver(() => Disbursement)
export class FundResolver {
  @Disclose("members")
  @Mutation(() => FundPledge, { description: "Promise money to the circle's fund. Members only." })
  async pledge(
    @Arg("input", () => PledgeInput) input: PledgeInput,
    @Ctx() context: DefenseContext,
  ): Promise<FundPledge> {
    const saved = await pledge(context, { ...input });
    return Object.assign(new FundPledge(), {
      ...saved,
      amountMinor: input.amountMinor,
      currency: input.currency,
      withdrawnAt: null,
    });
  }

  @Disclose("members")
  @Mutation(() => FundPledge, {
    description:
      "Withdraw your own promise of money to the fund; not once the fund received money against it (CONFLICT). Withdrawing again changes nothing. Anyone else's pledge is NOT_FOUND.",
  })
  async withdrawFundPledge(
    @Arg("pledgeId", () => ID) pledgeId: string,
    @Ctx() context: DefenseContext,
  ): Promise<FundPledge> {
    return Object.assign(new FundPledge(), await withdrawFundPledge(context, pledgeId));
  }

  @Disclose("members")
  @Mutation(() => Disbursement, {
    description:
      "Withdraw your own request to the fund while the stewards have not decided it (CONFLICT once approved, declined or paid). Withdrawing again changes nothing. Anyone else's request is NOT_FOUND.",
  })
  async withdrawDisbursementRequest(
    @Arg("requestId", () => ID) requestId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Disbursement> {
    return toDisbursement(await withdrawDisbursementRequest(context, requestId));
  }

  @Disclose("members")
  @Mutation(() => [FundHolding], {
    description: "Records money the fund received. Stewards only; returns what the fund now holds.",
  })
  async recordContribution(
    @Arg("input", () => RecordContributionInput) input: RecordContributionInput,
    @Ctx() context: DefenseContext,
  ): Promise<FundHolding[]> {
    return (await recordContribution(context, { ...input })).map(liveHolding);
  }

  @Disclose("members")
  @Mutation(() => Disbursement, { description: "Ask the fund for money (you are the recipient). Members only." })
  async requestDisbursement(
    @Arg("input", () => RequestDisbursementInput) input: RequestDisbursementInput,
    @Ctx() context: DefenseContext,
  ): Promise<Disbursement> {
    return toDisbursement(await requestDisbursement(context, { ...input, purpose: input.purpose as Purpose }));
  }

  @Disclose("stewards")
  @Mutation(() => Disbursement, {
    description: "A steward approves or objects; enough approvals and no objection approve it. Stewards only.",
  })
  async decideDisbursement(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("approve", () => Boolean) approve: boolean,
    @Ctx() context: DefenseContext,
  ): Promise<Disbursement> {
    return toDisbursement(await decideDisbursement(context, { requestId, approve }));
  }

  @Disclose("stewards")
  @Mutation(() => Disbursement, { description: "Records that an approved request was paid. Stewards only." })
  async recordDisbursement(
    @Arg("requestId", () => ID) requestId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Disbursement> {
    return toDisbursement(await recordDisbursement(context, requestId));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("stewards")
  @Query(() => DisbursementPage, {
    description: "The circle's disbursement requests with their recipients, newest first. The fund's stewards only.",
  })
  async disbursementRequests(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<DisbursementPage> {
    requireRole(context.caller, circleId, "steward");
    const limit = pageSize(page.first);
    const rows = await disbursementsOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new DisbursementPage(),
      toPage(rows, limit, (row) => instantSortKey(row.requestedAt, row.id), toDisbursement),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => FundPledgePage, {
    description:
      "Your own promises of money to the circle's fund, newest first. Only you: not stewards, not organizers.",
  })
  async myFundPledges(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<FundPledgePage> {
    const { memberId } = requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await fundPledgesOfMember(context.db, circleId, memberId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new FundPledgePage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.pledgedAt, row.id),
        (row) => Object.assign(new FundPledge(), row),
      ),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => DisbursementPage, {
    description:
      "Your own requests to the fund (you are their recipient), newest first. Only you; the fund's stewards read them with disbursementRequests.",
  })
  async myDisbursementRequests(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<DisbursementPage> {
    const { memberId } = requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await disbursementsOfMember(
      context.db,
      circleId,
      memberId,
      decodeInstantCursor(page.after),
      limit + 1,
    );
    return Object.assign(
      new DisbursementPage(),
      toPage(rows, limit, (row) => instantSortKey(row.requestedAt, row.id), toDisbursement),
    );
  }

  @Disclose("stewards")
  @Query(() => Disbursement, { description: "One request: its stewards and its recipient." })
  async disbursementRequest(@Arg("id", () => ID) id: string, @Ctx() context: DefenseContext): Promise<Disbursement> {
    const { row } = await requireRequest(context, id);
    if (!canSeeDisbursement(context, row)) throw forbidden("Only the fund's stewards and the recipient see a request.");
    return toDisbursement(row);
  }

  @Disclose("members")
  @Query(() => [FundHolding], {
    description:
      "What the circle's fund holds, per currency. Stewards: exactly, now. Members: as at the end of a closed cycle, replaced only once no payment or payments to at least 5 people moved it, so no one payment can be read from it.",
  })
  async fundHoldings(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<FundHolding[]> {
    const membership = requireMembership(context.caller, circleId);
    if (membership.roles.includes("steward")) return (await heldBalances(context.db, circleId)).map(liveHolding);
    const published = publishedHoldings(
      await flowsByCycle(context.db, circleId),
      cycleContaining(context.clock()).label,
    );
    return published.map((h) => Object.assign(new FundHolding(), h));
  }

  @Disclose("public")
  @Query(() => FundTotals, {
    description:
      "Public totals of an ended cycle: in, and out by purpose; a figure about fewer than 5 people is suppressed. Anyone.",
  })
  async fundTotals(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("cycle", () => String) label: string,
    @Ctx() context: DefenseContext,
  ): Promise<FundTotals> {
    const cycle = cycleByLabel(label);
    if (!cycle) throw badInput(`"${label}" is not a lunar cycle label (the UTC date of a new moon, YYYY-MM-DD).`);
    if (cycle.endsAt.getTime() > context.clock().getTime()) {
      throw badInput(
        `Cycle ${label} has not ended; its figures are published from ${cycle.endsAt.toISOString()}, so that two snapshots cannot single out one payment. The current cycle is ${cycleContaining(context.clock()).label}.`,
      );
    }
    if (!isUuid(circleId)) return Object.assign(new FundTotals(), { cycle: label, currencies: [] });
    const flows = await cycleFlows(context.db, circleId, label);
    const currencies = [
      ...new Set([...flows.inflows.map((f) => f.currency), ...flows.outflows.map((f) => f.currency)]),
    ].sort();
    return Object.assign(new FundTotals(), {
      cycle: label,
      currencies: currencies.map((currency) => {
        const inflow = flows.inflows.find((f) => f.currency === currency);
        const published = publishOutflows(flows.outflows.filter((f) => f.currency === currency).map((f) => f.row));
        return Object.assign(new FundCurrencyTotals(), {
          currency,
          totalInMinor: inflow ? publishIfEnoughPeople(inflow.totalMinor, inflow.contributions) : 0,
          totalOutMinor: published.totalMinor,
          outByPurpose: published.byPurpose.map((p) => Object.assign(new PurposeTotal(), p)),
        });
      }),
    });
  }

  @Disclose("members")
  @FieldResolver(() => String, { description: "Why the money is needed (stored encrypted)." })
  async reason(@Root() disbursement: Disbursement, @Ctx() context: DefenseContext): Promise<string> {
    return context.vault.open(
      context.db,
      disbursement.row.circleId,
      "fund-reason",
      disbursement.row.id,
      disbursement.row.reasonSealed,
    );
  }
}

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
} from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { acceptHousingMatch } from "../actions/accept-housing-match.js";
import { declineHousingMatch } from "../actions/decline-housing-match.js";
import { requireOwnRequest } from "../actions/housing-access.js";
import { pledgeHousing } from "../actions/pledge-housing.js";
import { proposeHousingMatch } from "../actions/propose-housing-match.js";
import { requestHousing } from "../actions/request-housing.js";
import { withdrawHousingPledge } from "../actions/withdraw-housing-pledge.js";
import { withdrawHousingRequest } from "../actions/withdraw-housing-request.js";
import type { DefenseContext } from "../context.js";
import { MAX_HOUSING_PEOPLE, roomLeft } from "../domain/housing.js";
import {
  counterpartContact,
  matchesOfMember,
  pledgesOfMember,
  requestsOfMember,
  suggestPledges,
  type MatchRow,
  type PledgeRow,
  type RequestRow,
} from "../store/housing.js";

@InputType()
class PledgeHousingInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Int, { description: `People you can host at once, 1 to ${MAX_HOUSING_PEOPLE}.` }) capacity!: number;
  @Field(() => String, { description: "YYYY-MM-DD" }) availableFrom!: string;
  @Field(() => String, { description: "YYYY-MM-DD" }) availableUntil!: string;
  @Field(() => Boolean) acceptsChildren!: boolean;
  @Field(() => Boolean) acceptsPets!: boolean;
  @Field(() => Boolean) isStepFree!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "Optional area, a geohash of at most 6 characters; never an address.",
  })
  area?: string | null;
  @Field(() => String, { description: "How a guest reaches you once both accepted; stored encrypted." })
  contact!: string;
}

@InputType()
class RequestHousingInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Int) people!: number;
  @Field(() => String, { description: "YYYY-MM-DD" }) neededFrom!: string;
  @Field(() => String, { description: "YYYY-MM-DD" }) neededUntil!: string;
  @Field(() => Boolean) withChildren!: boolean;
  @Field(() => Boolean) withPets!: boolean;
  @Field(() => Boolean) needsStepFree!: boolean;
  @Field(() => String, { description: "How the host reaches you once both accepted; stored encrypted." })
  contact!: string;
}

@Disclose("members")
@ObjectType({ description: "A place to stay someone offers. Who offers it is not shown until a match is confirmed." })
class HousingPledge {
  @Field(() => ID) id!: string;
  @Field(() => Int) capacity!: number;
  @Disclose("self")
  @Field(() => Int, {
    nullable: true,
    description:
      "Room not yet promised: its host's alone. A requester reads only that it fits their request, so polling suggestions shows no one else's match.",
  })
  roomLeft!: number | null;
  @Field(() => String) availableFrom!: string;
  @Field(() => String) availableUntil!: string;
  @Field(() => Boolean) acceptsChildren!: boolean;
  @Field(() => Boolean) acceptsPets!: boolean;
  @Field(() => Boolean) isStepFree!: boolean;
  @Field(() => String, { nullable: true }) area!: string | null;
  @Disclose("viewer") @Field(() => Boolean) isMine!: boolean;
  @Disclose("self")
  @Field(() => Date, {
    nullable: true,
    description: "When its host withdrew it: its host's alone (a withdrawn pledge is suggested to nobody).",
  })
  withdrawnAt!: Date | null;
  circleId!: string;
  memberId!: string;
}

@Disclose("self")
@ObjectType()
class HousingRequest {
  @Field(() => ID) id!: string;
  @Field(() => Int) people!: number;
  @Field(() => String) neededFrom!: string;
  @Field(() => String) neededUntil!: string;
  @Field(() => String, { description: "OPEN, HOUSED or WITHDRAWN." }) status!: string;
}

@Disclose("self")
@ObjectType()
class HousingPledgePage extends PageOf(HousingPledge) {}

@Disclose("self")
@ObjectType()
class HousingRequestPage extends PageOf(HousingRequest) {}

@Disclose("members")
@ObjectType({
  description: "A pledge proposed for a request. Contact is exchanged only once host and guest both accepted.",
})
class HousingMatch {
  @Field(() => ID) id!: string;
  @Field(() => ID) pledgeId!: string;
  @Field(() => ID) requestId!: string;
  @Field(() => Int) people!: number;
  @Field(() => String, { description: "SUGGESTED, CONFIRMED or DECLINED." }) status!: string;
  @Field(() => Boolean) hostAccepted!: boolean;
  @Field(() => Boolean) guestAccepted!: boolean;
  @Disclose("viewer") @Field(() => Boolean) amHost!: boolean;
  row!: MatchRow;
}

function toPledgeType(row: PledgeRow, memberId: string | undefined): HousingPledge {
  return Object.assign(new HousingPledge(), {
    ...row,
    roomLeft: row.hostMemberId === memberId ? roomLeft(row) : null,
    area: row.areaGeohash,
    isMine: row.hostMemberId === memberId,
    // What the pledge is about, for the kit's `self` fields: its host.
    memberId: row.hostMemberId,
  });
}
const toRequestType = (row: RequestRow) => Object.assign(new HousingRequest(), row);
const toMatchType = (row: MatchRow, memberId: string) =>
  Object.assign(new HousingMatch(), {
    ...row,
    hostAccepted: !!row.hostAcceptedAt,
    guestAccepted: !!row.guestAcceptedAt,
    amHost: row.hostMemberId === memberId,
    row,
  });

@Resolver(() => HousingMatch)
export class HousingResolver {
  @Disclose("members")
  @Mutation(() => HousingPledge, {
    description: "Offer a place to stay (capacity, dates, constraints; never an address). Members only.",
  })
  async pledgeHousing(
    @Arg("input", () => PledgeHousingInput) input: PledgeHousingInput,
    @Ctx() context: DefenseContext,
  ): Promise<HousingPledge> {
    const { pledge, memberId } = await pledgeHousing(context, { ...input });
    return toPledgeType(pledge, memberId);
  }

  @Disclose("members")
  @Mutation(() => HousingRequest, { description: "Ask for a place to stay. Members only." })
  async requestHousing(
    @Arg("input", () => RequestHousingInput) input: RequestHousingInput,
    @Ctx() context: DefenseContext,
  ): Promise<HousingRequest> {
    return toRequestType(await requestHousing(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => HousingPledge, {
    description:
      "Withdraw your own housing pledge: it is suggested to nobody from then on. Not once a confirmed match houses someone in it, nor while a suggested match waits for answers (CONFLICT: decline it first). Withdrawing again changes nothing. Anyone else's pledge is NOT_FOUND.",
  })
  async withdrawHousingPledge(
    @Arg("pledgeId", () => ID) pledgeId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingPledge> {
    const { pledge, memberId } = await withdrawHousingPledge(context, pledgeId);
    return toPledgeType(pledge, memberId);
  }

  @Disclose("members")
  @Mutation(() => HousingRequest, {
    description:
      "Withdraw your own request for a place to stay. Not once housed, nor while a suggested match waits for answers (CONFLICT: decline it first). Withdrawing again changes nothing. Anyone else's request is NOT_FOUND.",
  })
  async withdrawHousingRequest(
    @Arg("requestId", () => ID) requestId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingRequest> {
    return toRequestType(await withdrawHousingRequest(context, requestId));
  }

  @Disclose("members")
  @Query(() => [HousingPledge], { description: "Pledges that fit your request, largest first. The requester only." })
  async housingSuggestions(
    @Arg("requestId", () => ID) requestId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingPledge[]> {
    const { row, membership } = await requireOwnRequest(
      context,
      requestId,
      "Only whoever asked sees the suggestions for a request.",
    );
    return (await suggestPledges(context.db, row)).map((pledge) => toPledgeType(pledge, membership.memberId));
  }

  @Disclose("members")
  @Mutation(() => HousingMatch, {
    description: "Propose a suggested pledge for your request; you accept it by proposing, and its host is asked.",
  })
  async proposeHousingMatch(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("pledgeId", () => ID) pledgeId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingMatch> {
    const { match, memberId } = await proposeHousingMatch(context, { requestId, pledgeId });
    return toMatchType(match, memberId);
  }

  @Disclose("members")
  @Mutation(() => HousingMatch, {
    description:
      "The host or the guest accepts; when both have, the pledge's room is taken and contacts are exchanged.",
  })
  async acceptHousingMatch(
    @Arg("matchId", () => ID) matchId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingMatch> {
    const { match, memberId } = await acceptHousingMatch(context, matchId);
    return toMatchType(match, memberId);
  }

  @Disclose("members")
  @Mutation(() => HousingMatch, { description: "The host or the guest declines a suggested match." })
  async declineHousingMatch(
    @Arg("matchId", () => ID) matchId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingMatch> {
    const { match, memberId } = await declineHousingMatch(context, matchId);
    return toMatchType(match, memberId);
  }

  @Disclose("self")
  @Query(() => [HousingMatch], { description: "Matches where you host or are the guest." })
  async myHousingMatches(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<HousingMatch[]> {
    const membership = requireMembership(context.caller, circleId);
    return (await matchesOfMember(context.db, circleId, membership.memberId)).map((row) =>
      toMatchType(row, membership.memberId),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => HousingPledgePage, {
    description:
      "Your own housing pledges in the circle, newest first, withdrawn ones included. Only you: not organizers, not stewards.",
  })
  async myHousingPledges(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<HousingPledgePage> {
    const { memberId } = requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await pledgesOfMember(context.db, circleId, memberId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new HousingPledgePage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.pledgedAt, row.id),
        (row) => toPledgeType(row, memberId),
      ),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => HousingRequestPage, {
    description: "Your own requests for a place to stay in the circle, newest first. Only you.",
  })
  async myHousingRequests(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<HousingRequestPage> {
    const { memberId } = requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await requestsOfMember(context.db, circleId, memberId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new HousingRequestPage(),
      toPage(rows, limit, (row) => instantSortKey(row.requestedAt, row.id), toRequestType),
    );
  }

  @Disclose("members")
  @FieldResolver(() => String, {
    nullable: true,
    description: "The other party's contact: only once the match is confirmed, only for its host and guest.",
  })
  async counterpartContact(@Root() match: HousingMatch, @Ctx() context: DefenseContext): Promise<string | null> {
    const memberId = membershipIn(context.caller, match.row.circleId)?.memberId;
    return memberId ? counterpartContact(context.db, context.vault, match.row, memberId) : null;
  }
}

import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  PAGE_LIST_SIZE,
  pageSize,
  requireMembership,
  requirePerson,
  toPage,
  Disclose,
  discloseAs,
} from "@rhizome/kit";
import { acceptSisterLink } from "../actions/accept-sister-link.js";
import { sisterExchangeDecisions } from "../actions/decide-sister-exchange.js";
import { endSisterLink } from "../actions/end-sister-link.js";
import { proposeSisterExchange } from "../actions/propose-sister-exchange.js";
import { proposeSisterLink } from "../actions/propose-sister-link.js";
import type { ExchangeAction } from "../domain/exchanges.js";
import { effectiveLinkStatus, MAX_LIVE_SISTER_LINKS, publishSisterTrade } from "../domain/sisters.js";
import {
  linksOfCircle,
  memberSisterExchanges,
  sisterListingsFor,
  sisterTradeOf,
  type SisterExchange as SisterExchangeRow,
  type SisterLink as SisterLinkRow,
} from "../store/sisters.js";
import type { BarterContext } from "../context.js";
import {
  ProposeSisterExchangeInput,
  ProposeSisterLinkInput,
  SisterExchangeListArgs,
  SisterTradeArgs,
} from "./inputs.js";
import {
  BarterCircle,
  BarterSisterCounterpart,
  circleRef,
  SisterExchange,
  SisterExchangePage,
  SisterLink,
  SisterListing,
  SisterListingPage,
  SisterTrade,
} from "./types.js";
import { PageArgs } from "@rhizome/kit";

function toSisterLink(row: SisterLinkRow, now: Date): SisterLink {
  return Object.assign(new SisterLink(), {
    id: row.id,
    proposerCircle: circleRef(row.proposerCircleId),
    accepterCircle: circleRef(row.accepterCircleId),
    balanceLimitMinutes: row.balanceLimitMinutes,
    status: effectiveLinkStatus(row, cycleContaining(now).label),
    proposedAt: row.proposedAt,
    acceptedAt: row.acceptedAt,
    endedAt: row.endedAt,
  });
}

/** The caller's view of a sister exchange: their side and the other circle; the other member only once both consented. */
function toSisterExchange(row: SisterExchangeRow, callerMemberId: string): SisterExchange {
  const isProvider = row.providerMemberId === callerMemberId;
  return Object.assign(new SisterExchange(), {
    id: row.id,
    sisterCircle: circleRef(isProvider ? row.receiverCircleId : row.providerCircleId),
    listingId: row.listingId,
    role: isProvider ? "PROVIDER" : "RECEIVER",
    isProposedByYou: row.proposerMemberId === callerMemberId,
    minutes: row.minutes,
    skill: row.skill,
    note: row.note,
    status: row.status,
    proposedAt: row.proposedAt,
    proposedCycle: row.proposedCycle,
    decidedAt: row.decidedAt,
    counterpart: row.status === "CONFIRMED" ? Object.assign(new BarterSisterCounterpart(), { id: row.id }) : null,
  });
}

@Resolver(() => SisterLink)
export class SisterLinkResolver {
  @Disclose("stewards")
  @Mutation(() => SisterLink, {
    description:
      "Proposes to link your circle with another as sisters, with a limit on the balance of trade. Organizers only; an organizer of the other circle accepts.",
  })
  async proposeSisterLink(
    @Arg("input", () => ProposeSisterLinkInput) input: ProposeSisterLinkInput,
    @Ctx() context: BarterContext,
  ): Promise<SisterLink> {
    const link = await proposeSisterLink(context, { ...input });
    return toSisterLink(link, context.clock());
  }

  @Disclose("stewards")
  @Mutation(() => SisterLink, {
    description:
      "Accepts a sister link another circle proposed to yours, with its balance-of-trade limit. Organizers only.",
  })
  async acceptSisterLink(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("linkId", () => ID) linkId: string,
    @Ctx() context: BarterContext,
  ): Promise<SisterLink> {
    const link = await acceptSisterLink(context, { circleId, linkId });
    return toSisterLink(link, context.clock());
  }

  @Disclose("stewards")
  @Mutation(() => SisterLink, {
    description:
      "Ends a sister link, as an organizer of either circle: at once if the balance of trade is settled, otherwise once it is, or at the next new moon.",
  })
  async endSisterLink(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("linkId", () => ID) linkId: string,
    @Ctx() context: BarterContext,
  ): Promise<SisterLink> {
    const link = await endSisterLink(context, { circleId, linkId });
    return toSisterLink(link, context.clock());
  }
}

@Resolver(() => BarterCircle)
export class CircleSistersResolver {
  @Disclose("members")
  @FieldResolver(() => [SisterLink], {
    nullable: true,
    description: `The circle's sister links, newest first (at most ${MAX_LIVE_SISTER_LINKS} live at once). Members only.`,
  })
  async sisterLinks(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<SisterLink[]> {
    requireMembership(context.caller, circle.id);
    const now = context.clock();
    return (await linksOfCircle(context.db, circle.id, 2 * MAX_LIVE_SISTER_LINKS)).map((link) =>
      toSisterLink(link, now),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => SisterListingPage, {
    nullable: true,
    description:
      "Open listings members of active sister circles showed to sisters, newest first; never who published them. Members only.",
  })
  async sisterListings(
    @Root() circle: BarterCircle,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: BarterContext,
  ): Promise<SisterListingPage> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(args.first);
    const rows = await sisterListingsFor(context.db, circle.id, {
      after: decodeInstantCursor(args.after),
      limit: limit + 1,
    });
    return Object.assign(
      new SisterListingPage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.publishedAt, row.id),
        (row) =>
          // Shown to the members of the sister circle that reads it, not to the publishing circle's alone.
          discloseAs(
            Object.assign(new SisterListing(), {
              id: row.id,
              circle: circleRef(row.circleId),
              kind: row.kind,
              skills: row.skills,
              description: row.description,
              publishedAt: row.publishedAt,
            }),
            { circleId: circle.id },
          ),
      ),
    );
  }
}

@Resolver(() => SisterExchange)
export class SisterExchangeResolver {
  @Disclose("members")
  @Mutation(() => SisterExchange, {
    description:
      "Proposes an exchange against a sister circle's listing: you receive against an OFFER and provide against a REQUEST. Its publisher confirms; only then do credits move.",
  })
  async proposeSisterExchange(
    @Arg("input", () => ProposeSisterExchangeInput) input: ProposeSisterExchangeInput,
    @Ctx() context: BarterContext,
  ): Promise<SisterExchange> {
    const row = await proposeSisterExchange(context, { ...input });
    const membership = requireMembership(context.caller, input.circleId);
    return toSisterExchange(row, membership.memberId);
  }

  @Disclose("members")
  @Mutation(() => SisterExchange, {
    description:
      "Confirms a sister exchange proposed to you: each circle's ledger moves, its clearing account for the other taking the other side.",
  })
  confirmSisterExchange(
    @Arg("exchangeId", () => ID) exchangeId: string,
    @Ctx() context: BarterContext,
  ): Promise<SisterExchange> {
    return this.decide(exchangeId, "confirm", context);
  }

  @Disclose("members")
  @Mutation(() => SisterExchange, { description: "Declines a sister exchange proposed to you. No credits move." })
  declineSisterExchange(
    @Arg("exchangeId", () => ID) exchangeId: string,
    @Ctx() context: BarterContext,
  ): Promise<SisterExchange> {
    return this.decide(exchangeId, "decline", context);
  }

  @Disclose("members")
  @Mutation(() => SisterExchange, { description: "Withdraws a sister exchange you proposed, while it is pending." })
  cancelSisterExchange(
    @Arg("exchangeId", () => ID) exchangeId: string,
    @Ctx() context: BarterContext,
  ): Promise<SisterExchange> {
    return this.decide(exchangeId, "cancel", context);
  }

  private async decide(exchangeId: string, action: ExchangeAction, context: BarterContext): Promise<SisterExchange> {
    const row = await sisterExchangeDecisions[action](context, { exchangeId });
    const person = requirePerson(context.caller);
    const mine = person.memberships.find(
      (m) => m.memberId === row.providerMemberId || m.memberId === row.receiverMemberId,
    );
    if (!mine) throw forbidden("You take no part in this sister exchange.");
    return toSisterExchange(row, mine.memberId);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => SisterExchangePage, { description: "Your sister exchanges in a circle, newest first." })
  async sisterExchanges(
    @Args(() => SisterExchangeListArgs) args: SisterExchangeListArgs,
    @Ctx() context: BarterContext,
  ): Promise<SisterExchangePage> {
    const membership = requireMembership(context.caller, args.circleId);
    const limit = pageSize(args.first);
    const rows = await memberSisterExchanges(context.db, {
      circleId: args.circleId,
      memberId: membership.memberId,
      after: decodeInstantCursor(args.after),
      limit: limit + 1,
    });
    return Object.assign(
      new SisterExchangePage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.proposedAt, row.id),
        (row) => toSisterExchange(row, membership.memberId),
      ),
    );
  }

  @Disclose("public")
  @Query(() => SisterTrade, {
    description:
      "Public: hours two circles traded each way in a cycle and the balance, suppressed when fewer than 5 distinct members took part.",
  })
  async sisterTrade(
    @Args(() => SisterTradeArgs) args: SisterTradeArgs,
    @Ctx() context: BarterContext,
  ): Promise<SisterTrade> {
    const current = cycleContaining(context.clock());
    const cycle = args.cycle == null ? current : cycleByLabel(args.cycle);
    if (!cycle)
      throw badInput(
        `"${args.cycle}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
      );
    const figures = await sisterTradeOf(context.db, args.circleId, args.sisterCircleId, cycle.label);
    return Object.assign(new SisterTrade(), { cycle: cycle.label, ...publishSisterTrade(figures) });
  }
}

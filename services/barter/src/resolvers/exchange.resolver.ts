import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  decodeInstantCursor,
  instantSortKey,
  membershipIn,
  PAGE_LIST_SIZE,
  pageSize,
  isUuid,
  requireMembership,
  requirePerson,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { exchangeDecisions } from "../actions/decide-exchange.js";
import { proposeExchange } from "../actions/propose-exchange.js";
import type { ExchangeAction } from "../domain/exchanges.js";
import { findExchange, memberExchanges } from "../store/exchanges.js";
import type { BarterContext } from "../context.js";
import { ExchangeListArgs, ProposeExchangeInput } from "./inputs.js";
import { toExchange } from "./mappers.js";
import { Exchange, ExchangePage } from "./types.js";

@Resolver(() => Exchange)
export class ExchangeResolver {
  @Disclose("members")
  @Mutation(() => Exchange, {
    description:
      "Proposes an exchange you take part in, as provider or receiver. The other party confirms it; only then do credits move.",
  })
  async proposeExchange(
    @Arg("input", () => ProposeExchangeInput) input: ProposeExchangeInput,
    @Ctx() context: BarterContext,
  ): Promise<Exchange> {
    return toExchange(await proposeExchange(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Exchange, {
    description: "Confirms an exchange the other party proposed: the provider is credited and the receiver debited.",
  })
  confirmExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "confirm", context);
  }

  @Disclose("members")
  @Mutation(() => Exchange, { description: "Declines an exchange the other party proposed. No credits move." })
  declineExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "decline", context);
  }

  @Disclose("members")
  @Mutation(() => Exchange, { description: "Withdraws an exchange you proposed, while it is pending." })
  cancelExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "cancel", context);
  }

  private async decide(exchangeId: string, action: ExchangeAction, context: BarterContext): Promise<Exchange> {
    const row = await exchangeDecisions[action](context, { exchangeId });
    if (action === "confirm") {
      context.metrics.exchangesConfirmed.inc();
      context.metrics.minutesConfirmed.inc(row.minutes);
    }
    return toExchange(row);
  }

  @Disclose("members")
  @Query(() => Exchange, {
    nullable: true,
    description: "One of your exchanges; null when it is not yours or does not exist.",
  })
  async exchange(@Arg("id", () => ID) id: string, @Ctx() context: BarterContext): Promise<Exchange | null> {
    requirePerson(context.caller);
    const row = isUuid(id) ? await findExchange(context.db, id) : undefined;
    const membership = row && membershipIn(context.caller, row.circleId);
    const isParty =
      row &&
      membership &&
      (row.providerMemberId === membership.memberId || row.receiverMemberId === membership.memberId);
    return isParty ? toExchange(row) : null;
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => ExchangePage, {
    description: "Your exchanges in a circle, newest first, optionally only those with one status or of one cycle.",
  })
  async exchanges(
    @Args(() => ExchangeListArgs) args: ExchangeListArgs,
    @Ctx() context: BarterContext,
  ): Promise<ExchangePage> {
    const membership = requireMembership(context.caller, args.circleId);
    const limit = pageSize(args.first);
    const after = decodeInstantCursor(args.after);
    if (args.cycle != null && !cycleByLabel(args.cycle))
      throw badInput(
        `"${args.cycle}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${cycleContaining(context.clock()).label}".`,
      );
    const rows = await memberExchanges(context.db, {
      circleId: args.circleId,
      memberId: membership.memberId,
      status: args.status,
      cycle: args.cycle,
      after,
      limit: limit + 1,
    });
    return Object.assign(
      new ExchangePage(),
      toPage(rows, limit, (row) => instantSortKey(row.proposedAt, row.id), toExchange),
    );
  }
}

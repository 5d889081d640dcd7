import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { badInput, forbidden, pageSize, requireMembership, requirePerson, isUuid } from "@rhizome/kit";
import { validateProposal, type ExchangeAction } from "../domain/exchanges.js";
import { ExchangeRow } from "../entities/exchange.js";
import { decideExchange, proposeExchange } from "../store/exchanges.js";
import type { BarterContext } from "../context.js";
import { ExchangeListArgs, ProposeExchangeInput } from "./inputs.js";
import { toExchange } from "./mappers.js";
import { decodeNewestFirstCursor, encodeNewestFirstCursor } from "./pagination.js";
import { Exchange, ExchangePage } from "./types.js";

@Resolver(() => Exchange)
export class ExchangeResolver {
  @Mutation(() => Exchange, {
    description: "Proposes an exchange you take part in, as provider or receiver. The other party confirms it; only then do credits move.",
  })
  async proposeExchange(@Arg("input", () => ProposeExchangeInput) input: ProposeExchangeInput, @Ctx() context: BarterContext): Promise<Exchange> {
    const membership = requireMembership(context.caller, input.circleId);
    const result = validateProposal(input, membership.memberId);
    if ("problem" in result) throw result.code === "FORBIDDEN" ? forbidden(result.problem) : badInput(result.problem);
    return toExchange(await proposeExchange(context.db, input.circleId, result.proposal, context.clock()));
  }

  @Mutation(() => Exchange, { description: "Confirms an exchange the other party proposed: the provider is credited and the receiver debited." })
  confirmExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "confirm", context);
  }

  @Mutation(() => Exchange, { description: "Declines an exchange the other party proposed. No credits move." })
  declineExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "decline", context);
  }

  @Mutation(() => Exchange, { description: "Withdraws an exchange you proposed, while it is pending." })
  cancelExchange(@Arg("exchangeId", () => ID) exchangeId: string, @Ctx() context: BarterContext): Promise<Exchange> {
    return this.decide(exchangeId, "cancel", context);
  }

  private async decide(exchangeId: string, action: ExchangeAction, context: BarterContext): Promise<Exchange> {
    const person = requirePerson(context.caller);
    if (!isUuid(exchangeId)) throw badInput("exchangeId must be an exchange's id.");
    const row = await decideExchange(context.db, { exchangeId, action, memberships: person.memberships, clock: context.clock });
    if (action === "confirm") {
      context.metrics.exchangesConfirmed.inc();
      context.metrics.minutesConfirmed.inc(row.minutes);
    }
    return toExchange(row);
  }

  @Query(() => Exchange, { nullable: true, description: "One of your exchanges; null when it is not yours or does not exist." })
  async exchange(@Arg("id", () => ID) id: string, @Ctx() context: BarterContext): Promise<Exchange | null> {
    const person = requirePerson(context.caller);
    if (!isUuid(id)) return null;
    const row = await context.db.getRepository(ExchangeRow).findOneBy({ id });
    const membership = row && person.memberships.find((m) => m.circleId === row.circleId);
    const isParty = row && membership && (row.providerMemberId === membership.memberId || row.receiverMemberId === membership.memberId);
    return isParty ? toExchange(row) : null;
  }

  @Query(() => ExchangePage, { description: "Your exchanges in a circle, newest first, optionally only those with one status." })
  async exchanges(@Args(() => ExchangeListArgs) args: ExchangeListArgs, @Ctx() context: BarterContext): Promise<ExchangePage> {
    const membership = requireMembership(context.caller, args.circleId);
    const limit = pageSize(args.first);
    const cursor = decodeNewestFirstCursor(args.after);
    const query = context.db
      .getRepository(ExchangeRow)
      .createQueryBuilder("x")
      .where("x.circleId = :circleId AND (x.providerMemberId = :memberId OR x.receiverMemberId = :memberId)", {
        circleId: args.circleId,
        memberId: membership.memberId,
      })
      .orderBy("x.proposedAt", "DESC")
      .addOrderBy("x.id", "DESC")
      .limit(limit + 1);
    if (args.status) query.andWhere("x.status = :status", { status: args.status });
    if (cursor) query.andWhere("(x.proposedAt, x.id) < (:at, :id)", cursor);
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return Object.assign(new ExchangePage(), {
      items: page.map(toExchange),
      nextCursor: rows.length > limit && last ? encodeNewestFirstCursor(last.proposedAt, last.id) : null,
    });
  }
}

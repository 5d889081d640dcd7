import { Arg, Args, ArgsType, Ctx, Directive, Field, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  decodeInstantCursor,
  Disclose,
  forbidden,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
} from "@rhizome/kit";
import { asGraphQL, configuredNode, nodeOf } from "../actions/credit-commons-node.js";
import { joinCreditCommons } from "../actions/join-credit-commons.js";
import { cancelRemoteExchange, confirmRemoteExchange, proposeRemoteExchange } from "../actions/remote-exchange.js";
import type { BarterContext } from "../context.js";
import { publishSideTrade } from "../domain/credit-commons.js";
import { memberAddress } from "../credit-commons/node.js";
import {
  memberRemoteTransactions,
  nodeBalancesIn,
  nodeTradeIn,
  pendingTransactions,
  type CcTransactionRow,
} from "../store/credit-commons.js";
import {
  CreditCommonsLedger,
  CreditCommonsNodeView,
  CreditCommonsPendingTransaction,
  CreditCommonsSideBalance,
  CreditCommonsTrade,
  RemoteExchange,
  RemoteExchangePage,
} from "./credit-commons-types.js";

const OPERATOR_PENDING_LIMIT = 100;

function toRemoteExchange(row: CcTransactionRow, now: Date): RemoteExchange {
  const isPayer = row.memberRole === "payer";
  const hasLapsed = row.state === "pending" && row.cycle !== cycleContaining(now).label;
  return Object.assign(new RemoteExchange(), {
    circleId: row.circleId!,
    memberId: row.memberId!,
    id: row.uuid,
    role: isPayer ? "PAYER" : "PAYEE",
    otherAccountPath: isPayer ? row.payeePath : row.payerPath,
    minutes: row.minutes,
    cycle: row.cycle,
    status: hasLapsed
      ? "LAPSED"
      : row.state === "pending"
        ? "PENDING"
        : row.state === "completed"
          ? "COMPLETED"
          : "ERASED",
    proposedAt: row.writtenAt,
    decidedAt: row.decidedAt,
  });
}

@ArgsType()
class RemoteExchangeListArgs extends PageArgs {
  @Field(() => ID) circleId!: string;
}

@Resolver()
export class CreditCommonsResolver {
  @Disclose("stewards")
  @Mutation(() => CreditCommonsLedger, {
    description:
      "Makes your circle a ledger of this hub's Credit Commons node, so its members can trade with circles on other hubs, within a balance-of-trade limit per cycle; again, it changes the limit. Organizers only.",
  })
  async joinCreditCommons(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("ledgerName", () => String) ledgerName: string,
    @Arg("tradeLimitMinutes", () => Int) tradeLimitMinutes: number,
    @Ctx() context: BarterContext,
  ): Promise<CreditCommonsLedger> {
    const { ledger, node } = await joinCreditCommons(context, { circleId, ledgerName, tradeLimitMinutes });
    return Object.assign(new CreditCommonsLedger(), {
      circleId,
      ledgerName: ledger.ledgerName,
      path: [...node.path, ledger.ledgerName].join("/"),
      tradeLimitMinutes: ledger.tradeLimitMinutes,
    });
  }

  @Disclose("viewer")
  @Query(() => String, {
    description:
      "Your account path in the Credit Commons tree, to give a member of a circle on another hub: node path, ledger, and a random code that says nothing about you.",
  })
  async creditCommonsAddress(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: BarterContext,
  ): Promise<string> {
    const membership = requireMembership(context.caller, circleId);
    const deps = nodeOf(context);
    return asGraphQL(() => memberAddress(deps, circleId, membership.memberId));
  }

  @Disclose("viewer")
  @Mutation(() => RemoteExchange, {
    description:
      "Proposes to pay a member of a circle on another hub, named by their account path. It waits on every hub on the way until they confirm on theirs; nothing moves before.",
  })
  async proposeRemoteExchange(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("payeePath", () => String) payeePath: string,
    @Arg("minutes", () => Int) minutes: number,
    @Ctx() context: BarterContext,
  ): Promise<RemoteExchange> {
    const row = await proposeRemoteExchange(context, { circleId, payeePath, minutes });
    return toRemoteExchange(row, context.clock());
  }

  @Disclose("viewer")
  @Mutation(() => RemoteExchange, {
    description:
      "Confirms an exchange a member of another hub proposed to pay you: every ledger on the way records it, or none does.",
  })
  async confirmRemoteExchange(@Arg("id", () => ID) id: string, @Ctx() context: BarterContext): Promise<RemoteExchange> {
    return toRemoteExchange(await confirmRemoteExchange(context, { id }), context.clock());
  }

  @Disclose("viewer")
  @Mutation(() => RemoteExchange, {
    description:
      "Declines (as the payee) or cancels (as the payer) a pending exchange with another hub; nothing moves.",
  })
  async cancelRemoteExchange(@Arg("id", () => ID) id: string, @Ctx() context: BarterContext): Promise<RemoteExchange> {
    return toRemoteExchange(await cancelRemoteExchange(context, { id }), context.clock());
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("viewer")
  @Query(() => RemoteExchangePage, {
    description: "Your exchanges with members of other hubs in a circle, newest first.",
  })
  async myRemoteExchanges(
    @Args(() => RemoteExchangeListArgs) args: RemoteExchangeListArgs,
    @Ctx() context: BarterContext,
  ): Promise<RemoteExchangePage> {
    const membership = requireMembership(context.caller, args.circleId);
    const limit = pageSize(args.first);
    const rows = await memberRemoteTransactions(context.db, {
      circleId: args.circleId,
      memberId: membership.memberId,
      after: decodeInstantCursor(args.after),
      limit: limit + 1,
    });
    const now = context.clock();
    return Object.assign(
      new RemoteExchangePage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.writtenAt, row.uuid),
        (row) => toRemoteExchange(row, now),
      ),
    );
  }

  @Disclose("public")
  @Query(() => [CreditCommonsTrade], {
    description:
      "Public: what the hub's node traded with each side in a cycle that has ended, counting what it completed before that cycle's new moon only, so its figures never change once readable. Figures are null where fewer than 5 accounts took part.",
  })
  async creditCommonsTrade(
    @Arg("cycle", () => String) cycle: string,
    @Ctx() context: BarterContext,
  ): Promise<CreditCommonsTrade[]> {
    const { db } = nodeOf(context);
    const closed = cycleByLabel(cycle);
    if (!closed)
      throw badInput(`"${cycle.slice(0, 40)}" is not a cycle label (the date of its new moon, e.g. 2026-11-20).`);
    if (closed.endsAt.getTime() > context.clock().getTime())
      throw badInput(
        "A cycle's trade between hubs is published once the cycle has ended; ask again after its new moon.",
      );
    return (await nodeTradeIn(db, closed.label, closed.endsAt)).map((trade) =>
      Object.assign(new CreditCommonsTrade(), publishSideTrade(trade)),
    );
  }

  @Disclose("operator")
  @Query(() => CreditCommonsNodeView, {
    nullable: true,
    description:
      "The hub's Credit Commons node: its balance with each neighbour this cycle and its pending transactions. Operator key only; null when the hub is no node.",
  })
  async creditCommonsNode(@Ctx() context: BarterContext): Promise<CreditCommonsNodeView | null> {
    if (context.caller.kind !== "operator") throw forbidden("Only the hub's operator reads its node.");
    const node = configuredNode(context);
    if (!node) return null;
    const cycle = cycleContaining(context.clock()).label;
    const [balances, pending] = await Promise.all([
      nodeBalancesIn(context.db, cycle),
      pendingTransactions(context.db, OPERATOR_PENDING_LIMIT),
    ]);
    return Object.assign(new CreditCommonsNodeView(), {
      path: node.path.join("/"),
      trunkwardName: node.trunkwardName ?? null,
      branchNames: [...node.branchNames],
      cycle,
      balances: balances.map((b) => Object.assign(new CreditCommonsSideBalance(), b)),
      pendingTransactions: pending.map((row) =>
        Object.assign(new CreditCommonsPendingTransaction(), {
          id: row.uuid,
          payerPath: row.payerPath,
          payeePath: row.payeePath,
          minutes: row.minutes,
          cycle: row.cycle,
          writtenAt: row.writtenAt,
        }),
      ),
    });
  }
}

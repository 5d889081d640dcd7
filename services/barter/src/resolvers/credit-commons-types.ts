import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Disclose, PageOf } from "@rhizome/kit";

export const remoteExchangeStatuses = ["PENDING", "COMPLETED", "ERASED", "LAPSED"] as const;
export type RemoteExchangeStatus = (typeof remoteExchangeStatuses)[number];
export const RemoteExchangeStatusEnum = Object.fromEntries(remoteExchangeStatuses.map((s) => [s, s])) as {
  [S in RemoteExchangeStatus]: S;
};
registerEnumType(RemoteExchangeStatusEnum, {
  name: "RemoteExchangeStatus",
  description:
    "PENDING until the payee confirms on their hub; COMPLETED once every ledger on the way recorded it; ERASED when declined or cancelled; LAPSED when the new moon came first (nothing moved).",
});

export const RemoteExchangeRoleEnum = { PAYER: "PAYER", PAYEE: "PAYEE" } as const;
registerEnumType(RemoteExchangeRoleEnum, {
  name: "RemoteExchangeRole",
  description: "Your side of an exchange with another hub.",
});

@Disclose("self")
@ObjectType({
  description:
    "An exchange of time credits with a member of a circle on another hub, through the Credit Commons tree. Only you see it; the other hub knows you only by your account path.",
})
export class RemoteExchange {
  /** What the disclosure check reads: the member and circle it is about. */
  circleId!: string;
  memberId!: string;
  @Field(() => ID, { description: "The transaction's uuid, the same on every hub it passes." }) id!: string;
  @Field(() => RemoteExchangeRoleEnum) role!: keyof typeof RemoteExchangeRoleEnum;
  @Field(() => String, { description: "The other member's account path (node path, ledger, pseudonymous account)." })
  otherAccountPath!: string;
  @Field(() => Int) minutes!: number;
  @Field(() => String, { description: "The lunar cycle it counts in: the one it was proposed in." }) cycle!: string;
  @Field(() => RemoteExchangeStatusEnum) status!: RemoteExchangeStatus;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class RemoteExchangePage extends PageOf(RemoteExchange) {}

@Disclose("stewards")
@ObjectType({ description: "A circle as a leaf ledger of its hub's Credit Commons node." })
export class CreditCommonsLedger {
  circleId!: string;
  @Field(() => String, { description: "The ledger's name in members' account paths." }) ledgerName!: string;
  @Field(() => String, { description: "The ledger's path in the tree: the hub's node path and the ledger name." })
  path!: string;
  @Field(() => Int, { description: "How far the circle may owe or be owed by the rest of the tree in a cycle." })
  tradeLimitMinutes!: number;
}

@Disclose("operator")
@ObjectType({
  description: "The node's balance with one neighbouring node or one of its leaf ledgers in the current cycle.",
})
export class CreditCommonsSideBalance {
  @Field(() => String, { description: 'The neighbour: "trunkward", "branch:<name>" or "ledger:<name>".' })
  side!: string;
  @Field(() => Int, { description: "What the node owes that side (positive) or is owed by it (negative), in minutes." })
  balanceMinutes!: number;
}

@Disclose("operator")
@ObjectType({ description: "A transaction waiting on this node for both members' consent." })
export class CreditCommonsPendingTransaction {
  @Field(() => ID) id!: string;
  @Field(() => String) payerPath!: string;
  @Field(() => String) payeePath!: string;
  @Field(() => Int) minutes!: number;
  @Field(() => String) cycle!: string;
  @Field(() => Date) writtenAt!: Date;
}

@Disclose("operator")
@ObjectType({ description: "The hub's Credit Commons node, as its operator sees it." })
export class CreditCommonsNodeView {
  @Field(() => String) path!: string;
  @Field(() => String, { nullable: true, description: "The trunkward node's name; null for a root." })
  trunkwardName!: string | null;
  @Field(() => [String]) branchNames!: string[];
  @Field(() => String) cycle!: string;
  @Field(() => [CreditCommonsSideBalance]) balances!: CreditCommonsSideBalance[];
  @Field(() => [CreditCommonsPendingTransaction], { description: "The oldest 100 pending transactions." })
  pendingTransactions!: CreditCommonsPendingTransaction[];
}

@Disclose("public")
@ObjectType({
  description:
    "Public: what the hub's node traded with one neighbouring node or one of its ledgers in a closed cycle. Every figure is null unless at least 5 distinct accounts on that side and 5 at the other ends took part.",
})
export class CreditCommonsTrade {
  @Field(() => String, { description: 'The side: "trunkward", "branch:<name>" or "ledger:<name>".' }) side!: string;
  @Field(() => Int, { nullable: true, description: "Minutes paid to accounts on that side." })
  minutesToSide!: number | null;
  @Field(() => Int, { nullable: true, description: "Minutes paid by accounts on that side." })
  minutesFromSide!: number | null;
  @Field(() => Int, { nullable: true, description: "Minutes to the side less minutes from it." })
  balanceMinutes!: number | null;
  @Field(() => Int, { nullable: true, description: "Distinct accounts on that side that took part." })
  participantCount!: number | null;
}

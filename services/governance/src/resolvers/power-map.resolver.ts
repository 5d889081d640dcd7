import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PAGE_LIST_SIZE, PageArgs, requireMembership, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { addPowerNode } from "../actions/add-power-node.js";
import { declareRelation, withdrawRelation } from "../actions/declare-relation.js";
import { publishedCounts } from "../domain/power-map.js";
import { powerNodesOfCircle } from "../store/power-map.js";
import { powerMapSnapshotOf } from "../store/power-map-snapshots.js";
import { AddPowerNodeInput } from "./inputs.js";
import { toPowerNode } from "./mappers.js";
import { CoercedCounts, PowerNode, PowerNodePage } from "./types.js";

@Resolver(() => PowerNode)
export class PowerMapResolver {
  @Disclose("members")
  @Mutation(() => PowerNode, {
    description:
      "Adds a node to your circle's power map: a role or institution that can arbitrarily say no, and the flows that give it weight.",
  })
  async addPowerNode(
    @Arg("input", () => AddPowerNodeInput) input: AddPowerNodeInput,
    @Ctx() context: GovernanceContext,
  ): Promise<PowerNode> {
    return toPowerNode(await addPowerNode(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => PowerNode, {
    description:
      "Declares that this node can arbitrarily say no to you. Counted by your private bloc; nobody sees who declared.",
  })
  async declareRelation(
    @Arg("nodeId", () => ID) nodeId: string,
    @Ctx() context: GovernanceContext,
  ): Promise<PowerNode> {
    return toPowerNode(await declareRelation(context, nodeId));
  }

  @Disclose("members")
  @Mutation(() => PowerNode, { description: "Withdraws your declared relation to this node." })
  async withdrawRelation(
    @Arg("nodeId", () => ID) nodeId: string,
    @Ctx() context: GovernanceContext,
  ): Promise<PowerNode> {
    return toPowerNode(await withdrawRelation(context, nodeId));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => PowerNodePage, { description: "Your circle's power map, newest nodes first. Members only." })
  async powerMap(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<PowerNodePage> {
    requireMembership(context.caller, circleId);
    return newestFirstPage(
      PowerNodePage,
      page,
      (after, limit) => powerNodesOfCircle(context.db, circleId, after, limit),
      (row) => row.createdAt,
      toPowerNode,
    );
  }

  @Disclose("members")
  @FieldResolver(() => CoercedCounts, {
    description:
      "How many members it can arbitrarily say no to, as counted once a cycle (at the first reading after a new moon) and replaced only after a cohort of at least 5 declared (and none or at least 5 withdrew), never live; small counts suppressed. All null in the cycle the node was added in.",
  })
  async coerced(@Root() node: PowerNode, @Ctx() context: GovernanceContext): Promise<CoercedCounts> {
    const now = context.clock();
    const key = { id: node.id, circleId: node.circle.id, createdAt: node.createdAt };
    // The first reading of a cycle stores the cycle's snapshot under the node's lock: one transaction.
    const counts = await context.db.transaction((tx) => powerMapSnapshotOf(tx, key, now));
    return Object.assign(
      new CoercedCounts(),
      counts ? publishedCounts(counts.edge, counts.advantaged) : { total: null, edge: null, advantaged: null },
    );
  }
}

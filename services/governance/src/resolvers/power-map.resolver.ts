import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { MAX_LABEL_LENGTH } from "../domain/limits.js";
import { publishedCounts } from "../domain/power-map.js";
import {
  addPowerNode,
  declareRelation,
  powerNodesOfCircle,
  withdrawRelation,
  type PowerNodeRow,
} from "../store/power-map.js";
import { powerMapSnapshotOf } from "../store/power-map-snapshots.js";
import { blocOfCaller, owned, text } from "./access.js";
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
    requireMembership(context.caller, input.circleId);
    if (input.flows.length === 0)
      throw badInput(
        "Name at least one flow that gives the node its weight (RENT, FINES, WAGES, DEBT, GOSSIP or OTHER).",
      );
    const label = text("A node's label", input.label, MAX_LABEL_LENGTH);
    return toPowerNode(
      await addPowerNode(
        context.db,
        { circleId: input.circleId, kind: input.kind, label, flows: [...new Set(input.flows)] },
        context.clock(),
      ),
    );
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
    const { row, membership } = await owned(context.powerNodes, nodeId, context, "power node");
    await declareRelation(context.db, row, membership.memberId, await blocOfCaller(context, membership));
    return toPowerNode(row);
  }

  @Disclose("members")
  @Mutation(() => PowerNode, { description: "Withdraws your declared relation to this node." })
  async withdrawRelation(
    @Arg("nodeId", () => ID) nodeId: string,
    @Ctx() context: GovernanceContext,
  ): Promise<PowerNode> {
    const { row, membership } = await owned(context.powerNodes, nodeId, context, "power node");
    await withdrawRelation(context.db, row, membership.memberId, await blocOfCaller(context, membership));
    return toPowerNode(row);
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
    const limit = pageSize(page.first);
    const rows = await powerNodesOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new PowerNodePage(),
      toPage(rows, limit, (row: PowerNodeRow) => instantSortKey(row.createdAt, row.id), toPowerNode),
    );
  }

  @Disclose("members")
  @FieldResolver(() => CoercedCounts, {
    description:
      "How many members it can arbitrarily say no to, as counted once a cycle (at the first reading after a new moon) and replaced only after a cohort of at least 5 declared (and none or at least 5 withdrew), never live; small counts suppressed. All null in the cycle the node was added in.",
  })
  async coerced(@Root() node: PowerNode, @Ctx() context: GovernanceContext): Promise<CoercedCounts> {
    const counts = await powerMapSnapshotOf(
      context.db,
      { id: node.id, circleId: node.circle.id, createdAt: node.createdAt },
      context.clock(),
    );
    return Object.assign(
      new CoercedCounts(),
      counts ? publishedCounts(counts.edge, counts.advantaged) : { total: null, edge: null, advantaged: null },
    );
  }
}

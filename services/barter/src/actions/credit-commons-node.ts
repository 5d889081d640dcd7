import { GraphQLError } from "graphql";
import { badInput, conflict, errorCodes, forbidden, notFound, serviceUnavailable } from "@rhizome/kit";
import type { BarterConfig } from "../config.js";
import type { BarterContext } from "../context.js";
import { NodeRefusal } from "../credit-commons/client.js";
import type { NodeDeps } from "../credit-commons/node.js";
import { nodeConfigOf, type NodeConfig } from "../credit-commons/node-config.js";

const nodes = new WeakMap<BarterConfig, NodeConfig | undefined>();
export const NOT_A_NODE =
  "This hub is not a Credit Commons node: its operator has not configured one (CC_NODE_PATH), so its circles trade only among themselves.";

/** The hub's node as its configuration defines it (read once per configuration), or undefined when it is none. */
export function configuredNode(context: BarterContext): NodeConfig | undefined {
  if (!nodes.has(context.config)) nodes.set(context.config, nodeConfigOf(context.config));
  return nodes.get(context.config);
}

/** What the node's protocol code needs from a request; CONFLICT when the hub is no node. */
export function nodeOf(context: BarterContext): NodeDeps {
  const node = configuredNode(context);
  if (!node) throw conflict(NOT_A_NODE);
  return { node, db: context.db, clock: context.clock, eventsEmitted: () => context.eventsEmitted() };
}

/** A refusal on this node or on the way, as the GraphQL error a member can act on. */
export async function asGraphQL<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof NodeRefusal)) {
      const code = (error as { code?: string }).code;
      if (code === "55P03" || code === "40P01")
        throw conflict("Another exchange is using the same accounts right now; try again.");
      throw error;
    }
    if (error.status === 400) throw badInput(error.message);
    if (error.status === 403) throw forbidden(error.message);
    if (error.status === 404) throw notFound(error.message);
    if (error.status === 409 && error.limit)
      throw new GraphQLError(error.message, { extensions: { code: errorCodes.conflict, limit: error.limit } });
    if (error.status === 409) throw conflict(error.message);
    throw serviceUnavailable(error.message);
  }
}

import { z } from "@rhizome/kit";
import type { BarterConfig } from "../config.js";
import { pathSegments, PATH_SEGMENT, type NodeShape } from "../domain/credit-commons.js";

export interface Neighbour {
  name: string;
  /** Base URL of its Credit Commons routes, ending with "/". */
  url: string;
  key: string;
}

/** The operator's graft configuration: where this node sits in the tree and who its neighbours are. */
export interface NodeConfig extends NodeShape {
  name: string;
  trunkward?: Neighbour;
  branches: Neighbour[];
  relayTimeoutMs: number;
  neighbourLimitMinutes: number;
}

const branchesSchema = z
  .array(
    z.object({
      name: z.string().regex(PATH_SEGMENT),
      url: z.string().url(),
      key: z.string().min(24),
    }),
  )
  .max(64);

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

/** The node this hub runs, or undefined when CC_NODE_PATH is unset. Throws on a configuration that cannot work. */
export function nodeConfigOf(config: BarterConfig): NodeConfig | undefined {
  if (!config.CC_NODE_PATH) return undefined;
  const path = pathSegments(config.CC_NODE_PATH);
  if (!path) throw new Error(`CC_NODE_PATH "${config.CC_NODE_PATH}" is not a node path (names separated by "/").`);
  const name = path[path.length - 1];
  let trunkward: Neighbour | undefined;
  if (path.length > 1) {
    if (!config.CC_TRUNKWARD_URL || !config.CC_TRUNKWARD_KEY)
      throw new Error(
        `CC_NODE_PATH ${config.CC_NODE_PATH} places this node under ${path[path.length - 2]}: set CC_TRUNKWARD_URL and CC_TRUNKWARD_KEY, or make the path one name to run a root node.`,
      );
    trunkward = { name: path[path.length - 2], url: withSlash(config.CC_TRUNKWARD_URL), key: config.CC_TRUNKWARD_KEY };
  }
  const branches = config.CC_BRANCHES ? branchesSchema.parse(JSON.parse(config.CC_BRANCHES)) : [];
  return {
    path,
    name,
    trunkwardName: trunkward?.name,
    trunkward,
    branches: branches.map((branch) => ({ ...branch, url: withSlash(branch.url) })),
    branchNames: branches.map((branch) => branch.name),
    relayTimeoutMs: config.CC_RELAY_TIMEOUT_MS,
    neighbourLimitMinutes: config.CC_NEIGHBOUR_LIMIT_MINUTES,
  };
}

/** The neighbour on a side that is a node (trunkward or a branch), or undefined for a leaf ledger. */
export function neighbourOnSide(node: NodeConfig, side: string): Neighbour | undefined {
  if (side === "trunkward") return node.trunkward;
  if (side.startsWith("branch:")) return node.branches.find((branch) => branch.name === side.slice("branch:".length));
  return undefined;
}

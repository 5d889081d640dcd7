import type { BuiltSubgraph } from "@rhizome/kit";
import { SERVICES } from "@rhizome/infra";

/** How to build each service's subgraph schema; the list of services and their ports is infra's. */
const builders: Record<string, () => Promise<BuiltSubgraph>> = {
  network: async () => (await import("@rhizome/network")).buildNetworkSubgraph(),
  barter: async () => (await import("@rhizome/barter")).buildBarterSubgraph(),
  tools: async () => (await import("@rhizome/tools")).buildToolsSubgraph(),
  governance: async () => (await import("@rhizome/governance")).buildGovernanceSubgraph(),
  defense: async () => (await import("@rhizome/defense")).buildDefenseSubgraph(),
  sovereignty: async () => (await import("@rhizome/sovereignty")).buildSovereigntySubgraph(),
};

export const subgraphs = SERVICES.map(({ name, defaultPort }) => {
  const build = builders[name];
  if (!build) throw new Error(`schema/subgraphs.ts has no builder for the service "${name}".`);
  return { name, defaultPort, build };
});

export const subgraphDefaultUrl = (defaultPort: number) => `http://127.0.0.1:${defaultPort}/graphql`;

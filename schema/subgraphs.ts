import type { BuiltSubgraph } from "@rhizome/kit";

/** The subgraphs of the hub, the port each listens on by default, and how to build its schema. */
export const subgraphs: Array<{ name: string; defaultPort: number; build: () => Promise<BuiltSubgraph> }> = [
  { name: "network", defaultPort: 4001, build: async () => (await import("@rhizome/network")).buildNetworkSubgraph() },
];

export const subgraphDefaultUrl = (defaultPort: number) => `http://127.0.0.1:${defaultPort}/graphql`;

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const COMMITTED_SUPERGRAPH_PATH = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));

const JOIN_GRAPH = /@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g;

/** The subgraph names and URLs written in a supergraph. */
export function subgraphsOf(supergraphSdl: string): Map<string, string> {
  return new Map([...supergraphSdl.matchAll(JOIN_GRAPH)].map((match) => [match[1], match[2]]));
}

/**
 * The committed supergraph names each subgraph's default local URL; a deployment points the
 * gateway elsewhere with `<NAME>_SUBGRAPH_URL` (e.g. BARTER_SUBGRAPH_URL) without recomposing.
 */
export function withSubgraphUrls(supergraphSdl: string, env: Record<string, string | undefined>): string {
  return supergraphSdl.replace(JOIN_GRAPH, (whole, name: string, url: string) => {
    const override = env[`${name.toUpperCase()}_SUBGRAPH_URL`];
    return override ? `@join__graph(name: "${name}", url: "${override}")` : whole.replace(url, url);
  });
}

export function loadSupergraph(
  path = COMMITTED_SUPERGRAPH_PATH,
  env: Record<string, string | undefined> = process.env,
): string {
  return withSubgraphUrls(readFileSync(path, "utf8"), env);
}

import { subgraphs } from "./subgraphs.js";

// Run once per subgraph, in its own process, because type-graphql keeps one global metadata
// store and two services may each declare a small class of the same entity name.
const name = process.argv[2];
const subgraph = subgraphs.find((s) => s.name === name);
if (!subgraph) {
  console.error(`Unknown subgraph "${name}". Known: ${subgraphs.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
process.stdout.write((await subgraph.build()).sdl);

import { writeFile } from "node:fs/promises";
import { composeSupergraph, SUPERGRAPH_PATH } from "./composition.js";

try {
  const supergraph = await composeSupergraph();
  await writeFile(SUPERGRAPH_PATH, supergraph);
  console.log(`Wrote ${SUPERGRAPH_PATH.split("/").slice(-2).join("/")} (${supergraph.length} characters).`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

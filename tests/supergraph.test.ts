import { describe, expect, it } from "vitest";
import { committedSupergraph, composeSupergraph } from "../schema/composition.js";

describe("the committed supergraph", () => {
  it("equals a fresh composition of the subgraphs (run `npm run compose` when this fails)", async () => {
    expect(await committedSupergraph()).toBe(await composeSupergraph());
  }, 60_000);
});

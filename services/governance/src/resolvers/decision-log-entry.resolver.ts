import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Disclose, notFound } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { toProposal } from "./mappers.js";
import { DecisionLogEntry, Proposal } from "./types.js";

/** What a log entry decided, so a reader sees the proposal's title beside its outcome without a request per body. */
@Resolver(() => DecisionLogEntry)
export class DecisionLogEntryResolver {
  @Disclose("members")
  @FieldResolver(() => Proposal, { description: "The proposal this entry decided. Members of its circle." })
  async proposal(@Root() entry: DecisionLogEntry, @Ctx() context: GovernanceContext): Promise<Proposal> {
    const row = await context.proposals.load(entry.proposalId);
    if (!row) throw notFound("No proposal with that id in your circles.");
    return toProposal(row);
  }
}

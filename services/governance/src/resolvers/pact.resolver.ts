import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { MAX_PACT_DAYS } from "../domain/limits.js";
import { seatKindsOf } from "../store/bodies.js";
import { adoptPact, pactsOfCircle, reratifyPact, type PactRow } from "../store/pacts.js";
import { futureInstant, owned } from "./access.js";
import { AdoptPactInput, ReratifyPactInput } from "./inputs.js";
import { toPact } from "./mappers.js";
import { Pact, PactPage } from "./types.js";

const DAY_MS = 86_400_000;

async function requireSeated(context: GovernanceContext, bodyId: string, memberId: string) {
  const [seat] = await seatKindsOf(context.db, [{ bodyId, memberId }]);
  if (!seat) throw forbidden("Only members seated in the body that decided it can record its pact.");
}

@Resolver(() => Pact)
export class PactResolver {
  @Disclose("members")
  @Mutation(() => Pact, {
    description:
      "Adopts a pact from a passed proposal, with the sunset at which it lapses unless re-ratified. Seated members of the deciding body.",
  })
  async adoptPact(
    @Arg("input", () => AdoptPactInput) input: AdoptPactInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Pact> {
    const { row: proposal, membership } = await owned(context.proposals, input.proposalId, context, "proposal");
    const now = context.clock();
    const sunsetAt = futureInstant("sunsetAt", input.sunsetAt, now, MAX_PACT_DAYS * DAY_MS);
    await requireSeated(context, proposal.bodyId, membership.memberId);
    const pact = await adoptPact(context.db, proposal.id, sunsetAt, now);
    await context.deadlines.lapsePactAt(pact.id, pact.sunsetAt, now);
    return toPact(pact);
  }

  @Disclose("members")
  @Mutation(() => Pact, {
    description:
      "Re-ratifies an active pact before its sunset, by a new passed proposal of the same body, moving the sunset later.",
  })
  async reratifyPact(
    @Arg("input", () => ReratifyPactInput) input: ReratifyPactInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Pact> {
    const { row: pact, membership } = await owned(context.pacts, input.pactId, context, "pact");
    await owned(context.proposals, input.proposalId, context, "proposal");
    const now = context.clock();
    const sunsetAt = futureInstant("sunsetAt", input.sunsetAt, now, MAX_PACT_DAYS * DAY_MS);
    await requireSeated(context, pact.bodyId, membership.memberId);
    const updated = await reratifyPact(context.db, pact.id, input.proposalId, sunsetAt, now);
    await context.deadlines.lapsePactAt(updated.id, updated.sunsetAt, now);
    return toPact(updated);
  }

  @Disclose("members")
  @Query(() => Pact)
  async pact(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Pact> {
    return toPact((await owned(context.pacts, id, context, "pact")).row);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => PactPage, { description: "Your circle's pacts, active and lapsed, newest first. Members only." })
  async pacts(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<PactPage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await pactsOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new PactPage(),
      toPage(rows, limit, (row: PactRow) => instantSortKey(row.adoptedAt, row.id), toPact),
    );
  }
}

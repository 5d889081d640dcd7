import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireOwned, PAGE_LIST_SIZE, PageArgs, requireMembership, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { adoptPact } from "../actions/adopt-pact.js";
import { NO_PACT } from "../actions/not-found.js";
import { reratifyPact } from "../actions/reratify-pact.js";
import { pactsOfCircle } from "../store/pacts.js";
import { AdoptPactInput, ReratifyPactInput } from "./inputs.js";
import { toPact } from "./mappers.js";
import { Pact, PactPage } from "./types.js";

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
    return toPact(await adoptPact(context, { ...input }));
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
    return toPact(await reratifyPact(context, { ...input }));
  }

  @Disclose("members")
  @Query(() => Pact)
  async pact(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Pact> {
    return toPact((await requireOwned(context.caller, id, (key) => context.pacts.load(key), NO_PACT)).row);
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
    return newestFirstPage(
      PactPage,
      page,
      (after, limit) => pactsOfCircle(context.db, circleId, after, limit),
      (row) => row.adoptedAt,
      toPact,
    );
  }
}

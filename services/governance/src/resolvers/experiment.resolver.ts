import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireOwned, PAGE_LIST_SIZE, PageArgs, requireMembership, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { copyPlaybook } from "../actions/copy-playbook.js";
import { NO_EXPERIMENT } from "../actions/not-found.js";
import { publishPlaybook } from "../actions/publish-playbook.js";
import { recordReplacedCommand } from "../actions/record-replaced-command.js";
import { startExperiment } from "../actions/start-experiment.js";
import { experimentsOfCircle, playbooksPage } from "../store/experiments.js";
import { CopyPlaybookInput, PublishPlaybookInput, RecordReplacedCommandInput, StartExperimentInput } from "./inputs.js";
import { toExperiment, toPlaybook } from "./mappers.js";
import { Experiment, ExperimentPage, Playbook, PlaybookPage } from "./types.js";

@Resolver(() => Experiment)
export class ExperimentResolver {
  @Disclose("members")
  @Mutation(() => Experiment, {
    description: "Starts a one-cycle experiment against a node of your power map, with its hypothesis.",
  })
  async startExperiment(
    @Arg("input", () => StartExperimentInput) input: StartExperimentInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Experiment> {
    return toExperiment(await startExperiment(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Experiment, {
    description: "Records a command replaced by a consensual agreement during the experiment's cycle: its one figure.",
  })
  async recordReplacedCommand(
    @Arg("input", () => RecordReplacedCommandInput) input: RecordReplacedCommandInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Experiment> {
    return toExperiment(await recordReplacedCommand(context, { ...input }));
  }

  @Disclose("members")
  @Query(() => Experiment)
  async experiment(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Experiment> {
    return toExperiment(
      (await requireOwned(context.caller, id, (key) => context.experiments.load(key), NO_EXPERIMENT)).row,
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => ExperimentPage, { description: "Your circle's experiments, newest first. Members only." })
  async experiments(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<ExperimentPage> {
    requireMembership(context.caller, circleId);
    return newestFirstPage(
      ExperimentPage,
      page,
      (after, limit) => experimentsOfCircle(context.db, circleId, after, limit),
      (row) => row.startedAt,
      toExperiment,
    );
  }

  @Disclose("members")
  @Mutation(() => Playbook, { description: "Publishes a successful experiment as a playbook any circle can copy." })
  async publishPlaybook(
    @Arg("input", () => PublishPlaybookInput) input: PublishPlaybookInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Playbook> {
    return toPlaybook(await publishPlaybook(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Experiment, {
    description:
      "Copies a playbook into your circle as a new experiment this cycle, against a node of your own power map.",
  })
  async copyPlaybook(
    @Arg("input", () => CopyPlaybookInput) input: CopyPlaybookInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Experiment> {
    return toExperiment(await copyPlaybook(context, { ...input }));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("public")
  @Query(() => PlaybookPage, { description: "Every circle's published playbooks, newest first. Public." })
  async playbooks(@Args(() => PageArgs) page: PageArgs, @Ctx() context: GovernanceContext): Promise<PlaybookPage> {
    return newestFirstPage(
      PlaybookPage,
      page,
      (after, limit) => playbooksPage(context.db, after, limit),
      (row) => row.publishedAt,
      toPlaybook,
    );
  }
}

import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  cycleContaining,
  decodeInstantCursor,
  instantSortKey,
  notFound,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  isUuid,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { MAX_HYPOTHESIS_LENGTH, MAX_REASON_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH } from "../domain/limits.js";
import {
  experimentsOfCircle,
  playbooksByIds,
  playbooksPage,
  publishPlaybook,
  recordReplacedCommand,
  startExperiment,
  type ExperimentRow,
  type PlaybookRow,
} from "../store/experiments.js";
import { owned, text } from "./access.js";
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
    const { row: node } = await owned(context.powerNodes, input.nodeId, context, "power node");
    const now = context.clock();
    const hypothesis = text("A hypothesis", input.hypothesis, MAX_HYPOTHESIS_LENGTH);
    return toExperiment(
      await startExperiment(
        context.db,
        { circleId: node.circleId, nodeId: node.id, hypothesis, cycle: cycleContaining(now).label, copiedFrom: null },
        now,
      ),
    );
  }

  @Disclose("members")
  @Mutation(() => Experiment, {
    description: "Records a command replaced by a consensual agreement during the experiment's cycle: its one figure.",
  })
  async recordReplacedCommand(
    @Arg("input", () => RecordReplacedCommandInput) input: RecordReplacedCommandInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Experiment> {
    const { row } = await owned(context.experiments, input.experimentId, context, "experiment");
    const description = text("A description", input.description, MAX_REASON_LENGTH);
    const now = context.clock();
    const updated = await recordReplacedCommand(context.db, row.id, description, cycleContaining(now).label, now);
    context.eventsEmitted();
    return toExperiment(updated);
  }

  @Disclose("members")
  @Query(() => Experiment)
  async experiment(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Experiment> {
    return toExperiment((await owned(context.experiments, id, context, "experiment")).row);
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
    const limit = pageSize(page.first);
    const rows = await experimentsOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new ExperimentPage(),
      toPage(rows, limit, (row: ExperimentRow) => instantSortKey(row.startedAt, row.id), toExperiment),
    );
  }

  @Disclose("members")
  @Mutation(() => Playbook, { description: "Publishes a successful experiment as a playbook any circle can copy." })
  async publishPlaybook(
    @Arg("input", () => PublishPlaybookInput) input: PublishPlaybookInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Playbook> {
    const { row } = await owned(context.experiments, input.experimentId, context, "experiment");
    return toPlaybook(
      await publishPlaybook(
        context.db,
        row.id,
        text("A playbook's title", input.title, MAX_TITLE_LENGTH),
        text("A playbook's steps", input.steps, MAX_TEXT_LENGTH),
        context.clock(),
      ),
    );
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
    const [playbook] = isUuid(input.playbookId) ? await playbooksByIds(context.db, [input.playbookId]) : [];
    if (!playbook) throw notFound("No playbook with that id.");
    const { row: node } = await owned(context.powerNodes, input.nodeId, context, "power node");
    const now = context.clock();
    return toExperiment(
      await startExperiment(
        context.db,
        {
          circleId: node.circleId,
          nodeId: node.id,
          hypothesis: playbook.hypothesis,
          cycle: cycleContaining(now).label,
          copiedFrom: playbook.id,
        },
        now,
      ),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("public")
  @Query(() => PlaybookPage, { description: "Every circle's published playbooks, newest first. Public." })
  async playbooks(@Args(() => PageArgs) page: PageArgs, @Ctx() context: GovernanceContext): Promise<PlaybookPage> {
    const limit = pageSize(page.first);
    const rows = await playbooksPage(context.db, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new PlaybookPage(),
      toPage(rows, limit, (row: PlaybookRow) => instantSortKey(row.publishedAt, row.id), toPlaybook),
    );
  }
}

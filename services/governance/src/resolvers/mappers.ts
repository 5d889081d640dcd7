import type { StoredEntry } from "../store/decision-log.js";
import type { BodyRow } from "../store/bodies.js";
import type { ArticleRow } from "../store/constitution.js";
import type { AssemblyRow } from "../store/assemblies.js";
import { shadowAgendaClosesAt } from "../domain/agenda.js";
import type { ExperimentRow, PlaybookRow } from "../store/experiments.js";
import type { PactRow } from "../store/pacts.js";
import type { PowerNodeRow } from "../store/power-map.js";
import type { ProposalRow } from "../store/proposals.js";
import { MIN_DRAW_WITNESSES, type WitnessedDrawRecord } from "@rhizome/kit";
import type { RoleRow } from "../store/roles.js";
import {
  Article,
  Assembly,
  DecisionLogEntry,
  Draw,
  DrawWitness,
  Experiment,
  GovernanceBody,
  GovernanceRole,
  Pact,
  Playbook,
  PowerNode,
  Proposal,
  Tally,
  circleRef,
} from "./types.js";

const build = <T extends object>(type: new () => T, values: Partial<T>): T => Object.assign(new type(), values);

export const toBody = (row: BodyRow) =>
  build(GovernanceBody, {
    id: row.id,
    circle: circleRef(row.circleId),
    name: row.name,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    kind: row.kind as never,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    decisionRule: row.decisionRule as never,
    size: row.size,
    quorumPercent: row.quorumPercent,
    createdAt: row.createdAt,
  });

export const toProposal = (row: ProposalRow) =>
  build(Proposal, {
    id: row.id,
    circle: circleRef(row.circleId),
    bodyId: row.bodyId,
    title: row.title,
    text: row.text,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    kind: row.kind as never,
    amendedArticleId: row.amendment?.articleId ?? null,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    status: row.status as never,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    outcome: row.outcome as never,
    closesAt: row.closesAt,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
  });

export const toLogEntry = (entry: StoredEntry) =>
  build(DecisionLogEntry, {
    seq: entry.seq,
    proposalId: entry.proposalId,
    bodyId: entry.bodyId,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    rule: entry.rule as never,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    outcome: entry.outcome as never,
    tally: build(Tally, {
      eligible: entry.tally.eligible,
      consent: entry.tally.consent,
      standAside: entry.tally.standAside,
      object: entry.tally.object,
      veto: entry.tally.veto,
    }),
    reasons: entry.reasons,
    decidedAt: new Date(entry.decidedAt),
    previousHash: entry.previousHash,
    hash: entry.hash,
  });

export const toRole = (row: RoleRow) =>
  build(GovernanceRole, {
    id: row.id,
    circle: circleRef(row.circleId),
    bodyId: row.bodyId,
    name: row.name,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    powers: row.powers as never,
    holderCount: row.holderCount,
    hasBlocQuota: row.hasBlocQuota,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    status: row.status as never,
    createdAt: row.createdAt,
    compostedAt: row.compostedAt,
    compostReasons: row.compostReasons,
  });

/** A role's witnessed draw (purpose "role:<roleId>") as the API shows it: seeds only once the pool is frozen. */
export const toDraw = (row: WitnessedDrawRecord) =>
  build(Draw, {
    id: row.id,
    circleId: row.circleId,
    roleId: row.purpose.slice("role:".length),
    cycle: row.cycle,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    status: row.status as never,
    witnessesRequired: MIN_DRAW_WITNESSES,
    witnesses: row.witnesses.map((w) =>
      build(DrawWitness, {
        memberId: w.memberId,
        commitment: w.commitment,
        seed: row.status === "GATHERING" ? null : w.seed,
        revealedAt: w.revealedAt,
        committedAt: w.committedAt,
      }),
    ),
    pool: row.pool,
    rules: row.rules ? canonicalRules(row.rules) : null,
    commitment: row.poolCommitment,
    drawSeed: row.drawSeed,
    drawnOrder: row.order,
    holders: row.chosen,
    openedAt: row.openedAt,
    frozenAt: row.frozenAt,
  });

function canonicalRules(rules: object): string {
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, sortKeys(v)]),
          )
        : value;
  return JSON.stringify(sortKeys(rules));
}

export const toPact = (row: PactRow) =>
  build(Pact, {
    id: row.id,
    circle: circleRef(row.circleId),
    bodyId: row.bodyId,
    proposalId: row.proposalId,
    title: row.title,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    status: row.status as never,
    sunsetAt: row.sunsetAt,
    adoptedAt: row.adoptedAt,
    remindedAt: row.remindedAt,
    lapsedAt: row.lapsedAt,
  });

export const toArticle = (row: ArticleRow) =>
  build(Article, {
    id: row.id,
    circle: circleRef(row.circleId),
    number: row.number,
    currentVersion: row.currentVersion,
  });

export const toAssembly = (row: AssemblyRow) =>
  build(Assembly, {
    id: row.id,
    circle: circleRef(row.circleId),
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    kind: row.kind as never,
    title: row.title,
    cycle: row.cycle,
    meetsAt: row.meetsAt,
    agendaClosesAt: row.kind === "SHADOW" ? shadowAgendaClosesAt(row) : null,
    minutes: row.minutes,
    createdAt: row.createdAt,
  });

export const toPowerNode = (row: PowerNodeRow) =>
  build(PowerNode, {
    id: row.id,
    circle: circleRef(row.circleId),
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    kind: row.kind as never,
    label: row.label,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    flows: row.flows as never,
    createdAt: row.createdAt,
  });

export const toExperiment = (row: ExperimentRow) =>
  build(Experiment, {
    id: row.id,
    circle: circleRef(row.circleId),
    nodeId: row.nodeId,
    hypothesis: row.hypothesis,
    cycle: row.cycle,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    status: row.status as never,
    commandsReplaced: row.commandsReplaced,
    copiedFromPlaybookId: row.copiedFrom,
    startedAt: row.startedAt,
    judgedAt: row.judgedAt,
  });

export const toPlaybook = (row: PlaybookRow) =>
  build(Playbook, {
    id: row.id,
    title: row.title,
    // eslint-disable-next-line no-restricted-syntax -- the column holds exactly this enum's values (the migration's CHECK constraint)
    nodeKind: row.nodeKind as never,
    hypothesis: row.hypothesis,
    steps: row.steps,
    commandsReplaced: row.commandsReplaced,
    publishedAt: row.publishedAt,
  });

import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
import {
  AgendaItemState,
  AssemblyKind,
  BodyKind,
  DecisionRule,
  DrawStatus,
  ExperimentStatus,
  Outcome,
  PactStatus,
  PowerFlow,
  PowerNodeKind,
  ProposalKind,
  ProposalStatus,
  ReflectionKind,
  ResponseKind,
  RolePower,
  RoleStatus,
  SeatKind,
} from "./enums.js";

/** network owns Circle; governance refers to it by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Circle")
export class GovernanceCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; governance refers to it by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Member")
export class GovernanceMember {
  @Field(() => ID) id!: string;
}

export const circleRef = (id: string) => Object.assign(new GovernanceCircle(), { id });
export const memberRef = (id: string) => Object.assign(new GovernanceMember(), { id });

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description:
    "A steward team or an assembly of a circle. Visible to the circle's members; nobody's seat kind is shown but the caller's own.",
})
export class GovernanceBody {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => String) name!: string;
  @Field(() => BodyKind) kind!: BodyKind;
  @Field(() => DecisionRule) decisionRule!: DecisionRule;
  @Field(() => Int, { description: "How many seats it has." }) size!: number;
  @Field(() => Int, { description: "For MAJORITY: the share of seated members who must answer, in percent." })
  quorumPercent!: number;
  @Field(() => Date) createdAt!: Date;
}

@Disclose("public")
@ObjectType()
export class GovernanceBodyPage extends PageOf(GovernanceBody) {}

@Disclose("viewer")
@ObjectType({ description: "The caller's seat after takeSeat." })
export class SeatTaken {
  @Field(() => GovernanceBody) body!: GovernanceBody;
  @Field(() => SeatKind, { description: "Your seat's kind, from your own bloc. Only you see it." }) kind!: SeatKind;
}

@Disclose("members")
@ObjectType({
  description:
    "Counts of a closed vote by kind of response, whoever gave them: nobody's name, nobody's bloc. Every count is null only in entries of amendments decided, before, by edge seats alone.",
})
export class Tally {
  @Field(() => Int, { description: "Members seated in the body when the vote closed." }) eligible!: number;
  @Field(() => Int, { nullable: true }) consent!: number | null;
  @Field(() => Int, { nullable: true }) standAside!: number | null;
  @Field(() => Int, { nullable: true }) object!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "Vetoes, from any seat; under every rule but MAJORITY each one blocks.",
  })
  veto!: number | null;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description: "A proposal to a body, decided by the body's rule when voting closes. Visible to the circle's members.",
})
export class Proposal {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => ID) bodyId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) text!: string;
  @Field(() => ProposalKind) kind!: ProposalKind;
  @Field(() => ID, {
    nullable: true,
    description: "For an amendment: the article it changes (null for a new article).",
  })
  amendedArticleId!: string | null;
  @Field(() => ProposalStatus) status!: ProposalStatus;
  @Field(() => Outcome, { nullable: true }) outcome!: Outcome | null;
  @Field(() => Date) closesAt!: Date;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class ProposalPage extends PageOf(Proposal) {}

@Disclose("viewer")
@ObjectType({ description: "The caller's own response to a proposal." })
export class MyResponse {
  @Field(() => ResponseKind) response!: ResponseKind;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@Disclose("members")
@ObjectType({ description: "One outcome in a circle's decision log, chained to the one before by its hash." })
export class DecisionLogEntry {
  @Field(() => Int) seq!: number;
  @Field(() => ID) proposalId!: string;
  @Field(() => ID) bodyId!: string;
  @Field(() => DecisionRule, {
    description:
      "The rule the vote was decided by: the body's own, or CONSENT where the body decided by the consent of every seat (under 5 seats, no published composition, or an amendment in a circle's first six months).",
  })
  rule!: DecisionRule;
  @Field(() => Outcome) outcome!: Outcome;
  @Field(() => Tally) tally!: Tally;
  @Field(() => [String]) reasons!: string[];
  @Field(() => Date) decidedAt!: Date;
  @Field(() => String) previousHash!: string;
  @Field(() => String, { description: "SHA-256 of the entry's canonical JSON (see services/governance/README.md)." })
  hash!: string;
}

@Disclose("public")
@ObjectType()
export class DecisionLogPage extends PageOf(DecisionLogEntry) {}

@Disclose("members")
@ObjectType()
export class DecisionLogVerification {
  @Field(() => Boolean, { description: "Every hash recomputes and the chain ends at the recorded head." })
  isIntact!: boolean;
  @Field(() => Int) entriesChecked!: number;
  @Field(() => Int, { nullable: true, description: "The first entry that does not match, if any." }) firstBrokenSeq!:
    number | null;
  @Field(() => String) headHash!: string;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({ description: "A role of a body, filled by verifiable draws and rotated at every new moon." })
export class GovernanceRole {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => ID) bodyId!: string;
  @Field(() => String) name!: string;
  @Field(() => [RolePower]) powers!: RolePower[];
  @Field(() => Int) holderCount!: number;
  @Field(() => Boolean, {
    description:
      "Always false for new roles: a draw that passed over members for their seat kind would publish who was passed over.",
  })
  hasBlocQuota!: boolean;
  @Field(() => RoleStatus) status!: RoleStatus;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) compostedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Why the role was dissolved, kept in the archive." })
  compostReasons!: string | null;
}

@Disclose("public")
@ObjectType()
export class GovernanceRolePage extends PageOf(GovernanceRole) {}

@Disclose("public")
@ObjectType({
  description: "A witness of a draw: their commitment from the start, their seed once the pool is frozen. Public.",
})
export class DrawWitness {
  @Field(() => ID) memberId!: string;
  @Field(() => String, {
    description: "SHA-256 hex of JSON.stringify([drawId, memberId, seed]), published when they committed.",
  })
  commitment!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The seed, published when the pool is frozen (opened by the hub if the witness did not reveal it); null before.",
  })
  seed!: string | null;
  @Field(() => Date, {
    nullable: true,
    description: "When the witness revealed the seed themself; null if they did not (their seed counts all the same).",
  })
  revealedAt!: Date | null;
  @Field(() => Date) committedAt!: Date;
}

@Disclose("public")
@ObjectType({
  description:
    "A role's new-moon draw, recomputable by anyone: witnesses commit during the cycle, the pool is frozen at its end, then the seeds are opened and the order computed. Public.",
})
export class Draw {
  @Field(() => ID) id!: string;
  @Field(() => ID) circleId!: string;
  @Field(() => ID) roleId!: string;
  @Field(() => String, {
    description: "The lunar cycle during which witnesses committed; the new moon that ends it froze the pool.",
  })
  cycle!: string;
  @Field(() => DrawStatus) status!: DrawStatus;
  @Field(() => Int, { description: "Witnesses a draw needs when its pool is frozen; with fewer, nobody is drawn." })
  witnessesRequired!: number;
  @Field(() => [DrawWitness], { description: "By member id, the order their seeds are combined in." })
  witnesses!: DrawWitness[];
  @Field(() => [ID], { nullable: true, description: "The eligible members, sorted; null until the pool is frozen." })
  pool!: string[] | null;
  @Field(() => String, { nullable: true, description: "The rules recorded with the pool, as canonical JSON." }) rules!:
    string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'SHA-256 hex of the canonical JSON of { drawId, purpose, cycle, pool, rules }, where purpose is "role:<roleId>".',
  })
  commitment!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "SHA-256 hex of JSON.stringify([commitment, ...witnesses' seeds]); null unless DRAWN.",
  })
  drawSeed!: string | null;
  @Field(() => [ID], { nullable: true, description: "The pool in draw order; null unless DRAWN." }) drawnOrder!:
    string[] | null;
  @Field(() => [ID], {
    nullable: true,
    description:
      "Who holds the role from this draw on: the first holders of the order, or, when carried over, the holders who kept it.",
  })
  holders!: string[] | null;
  @Field(() => Date) openedAt!: Date;
  @Field(() => Date, { nullable: true }) frozenAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class DrawPage extends PageOf(Draw) {}

@Disclose("public")
@ObjectType()
export class DrawVerification {
  @Field(() => ID) drawId!: string;
  @Field(() => Boolean, { description: "The seeds, the commitment and the order all recompute." }) matches!: boolean;
  @Field(() => Boolean, { description: "Every published seed hashes to its witness's commitment." })
  seedsMatchCommitments!: boolean;
  @Field(() => Boolean) commitmentMatches!: boolean;
  @Field(() => Boolean) orderMatches!: boolean;
  @Field(() => [ID]) recomputedOrder!: string[];
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({ description: "An agreement adopted by a body, which lapses at its sunset unless re-ratified." })
export class Pact {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => ID) bodyId!: string;
  @Field(() => ID) proposalId!: string;
  @Field(() => String) title!: string;
  @Field(() => PactStatus) status!: PactStatus;
  @Field(() => Date) sunsetAt!: Date;
  @Field(() => Date) adoptedAt!: Date;
  @Field(() => Date, { nullable: true, description: "When the body was reminded of the coming sunset." })
  remindedAt!: Date | null;
  @Field(() => Date, { nullable: true }) lapsedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class PactPage extends PageOf(Pact) {}

@Disclose("members")
@ObjectType()
export class ArticleVersion {
  @Field(() => Int) version!: number;
  @Field(() => String) title!: string;
  @Field(() => String) text!: string;
  @Field(() => ID) proposalId!: string;
  @Field(() => Date) adoptedAt!: Date;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({ description: "An article of a circle's living constitution, with its full history." })
export class Article {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => Int) number!: number;
  @Field(() => Int) currentVersion!: number;
}

@Disclose("members")
@ObjectType()
export class Constitution {
  @Field(() => [Article]) articles!: Article[];
  @Field(() => Date, {
    nullable: true,
    description:
      "Until then an amendment passes only by the consent of every seat of the body deciding it, so never against any edge member's veto.",
  })
  edgeOnlyUntil!: Date | null;
  @Field(() => Boolean, {
    description: "Whether amendments are in that first period now (they pass only by the consent of every seat).",
  })
  isEdgeOnly!: boolean;
}

@Disclose("members")
@ObjectType()
export class AgendaItem {
  @Field(() => ID) id!: string;
  @Field(() => String) text!: string;
  @Field(() => Date, {
    description: "When it was added; for a shadow assembly's published item, when the agenda closed.",
  })
  addedAt!: Date;
  @Disclose("members")
  @Field(() => AgendaItemState)
  state!: AgendaItemState;
}

@Disclose("members")
@ObjectType()
export class Reflection {
  @Field(() => ID) id!: string;
  @Field(() => ReflectionKind) kind!: ReflectionKind;
  @Field(() => String) text!: string;
  @Field(() => Boolean, { description: "Whether the narrative hub may quote it." }) mayQuote!: boolean;
  @Field(() => Date) recordedAt!: Date;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType()
export class Assembly {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => AssemblyKind) kind!: AssemblyKind;
  @Field(() => String) title!: string;
  @Field(() => String) cycle!: string;
  @Field(() => Date, { nullable: true }) meetsAt!: Date | null;
  @Disclose("members")
  @Field(() => Date, {
    nullable: true,
    description:
      "A shadow assembly's agenda is sealed until this instant (its meetsAt, or the end of its cycle), then its edge members' items are published at once. Null for a commons assembly, whose agenda is read live.",
  })
  agendaClosesAt!: Date | null;
  @Field(() => String, { nullable: true }) minutes!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@Disclose("public")
@ObjectType()
export class AssemblyPage extends PageOf(Assembly) {}

@Disclose("members")
@ObjectType({
  description:
    "How many members a node can arbitrarily say no to, as counted once a cycle and replaced only after a cohort of changes (never live). Each figure is null under 5 people; by bloc only when both blocs reach 5.",
})
export class CoercedCounts {
  @Field(() => Int, { nullable: true }) total!: number | null;
  @Field(() => Int, { nullable: true }) edge!: number | null;
  @Field(() => Int, { nullable: true }) advantaged!: number | null;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({ description: "A node of a circle's power map: a role or institution, never a private person." })
export class PowerNode {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => PowerNodeKind) kind!: PowerNodeKind;
  @Field(() => String) label!: string;
  @Field(() => [PowerFlow]) flows!: PowerFlow[];
  @Field(() => Date) createdAt!: Date;
}

@Disclose("public")
@ObjectType()
export class PowerNodePage extends PageOf(PowerNode) {}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description: "A one-cycle experiment against a power node, judged by commands replaced by consensual agreements.",
})
export class Experiment {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => ID) nodeId!: string;
  @Field(() => String) hypothesis!: string;
  @Field(() => String) cycle!: string;
  @Field(() => ExperimentStatus) status!: ExperimentStatus;
  @Field(() => Int) commandsReplaced!: number;
  @Field(() => ID, { nullable: true }) copiedFromPlaybookId!: string | null;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) judgedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class ExperimentPage extends PageOf(Experiment) {}

@Disclose("public")
@ObjectType({ description: "A successful experiment, published for any circle to copy. Public." })
export class Playbook {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => PowerNodeKind) nodeKind!: PowerNodeKind;
  @Field(() => String) hypothesis!: string;
  @Field(() => String) steps!: string;
  @Field(() => Int) commandsReplaced!: number;
  @Field(() => Date) publishedAt!: Date;
}

@Disclose("public")
@ObjectType()
export class PlaybookPage extends PageOf(Playbook) {}

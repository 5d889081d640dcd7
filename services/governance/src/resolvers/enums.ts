import { registerEnumType } from "type-graphql";

export enum BodyKind {
  STEWARD_TEAM = "STEWARD_TEAM",
  ASSEMBLY = "ASSEMBLY",
}
export enum DecisionRule {
  CONSENT = "CONSENT",
  CONSENSUS = "CONSENSUS",
  CONSENSUS_MINUS_ONE = "CONSENSUS_MINUS_ONE",
  MAJORITY = "MAJORITY",
}
export enum SeatKind {
  EDGE = "EDGE",
  ADVANTAGED = "ADVANTAGED",
}
export enum ResponseKind {
  CONSENT = "CONSENT",
  STAND_ASIDE = "STAND_ASIDE",
  OBJECT = "OBJECT",
  VETO = "VETO",
}
export enum ProposalStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
export enum ProposalKind {
  ORDINARY = "ORDINARY",
  AMENDMENT = "AMENDMENT",
}
export enum Outcome {
  PASSED = "PASSED",
  REJECTED = "REJECTED",
  NO_QUORUM = "NO_QUORUM",
  OUT_OF_COMPOSITION = "OUT_OF_COMPOSITION",
}
export enum RolePower {
  OPEN_PROPOSALS = "OPEN_PROPOSALS",
  RECORD_MINUTES = "RECORD_MINUTES",
}
export enum RoleStatus {
  ACTIVE = "ACTIVE",
  COMPOSTED = "COMPOSTED",
}
export enum DrawStatus {
  GATHERING = "GATHERING",
  DRAWN = "DRAWN",
  CARRIED_OVER = "CARRIED_OVER",
}
export enum PactStatus {
  ACTIVE = "ACTIVE",
  LAPSED = "LAPSED",
}
export enum AssemblyKind {
  SHADOW = "SHADOW",
  COMMONS = "COMMONS",
}
export enum AgendaItemState {
  SUBMITTED = "SUBMITTED",
  PUBLISHED = "PUBLISHED",
}
export enum ReflectionKind {
  FAILURE = "FAILURE",
  WIN = "WIN",
  TENSION = "TENSION",
}
export enum PowerNodeKind {
  LANDLORD = "LANDLORD",
  EMPLOYER = "EMPLOYER",
  POLICE = "POLICE",
  LENDER = "LENDER",
  CREDIT_SCORE = "CREDIT_SCORE",
  CLERGY = "CLERGY",
  OFFICIAL = "OFFICIAL",
  OTHER = "OTHER",
}
export enum PowerFlow {
  RENT = "RENT",
  FINES = "FINES",
  WAGES = "WAGES",
  DEBT = "DEBT",
  GOSSIP = "GOSSIP",
  OTHER = "OTHER",
}
export enum ExperimentStatus {
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  INCONCLUSIVE = "INCONCLUSIVE",
}

registerEnumType(BodyKind, { name: "BodyKind", description: "A steward team or an assembly." });
registerEnumType(DecisionRule, {
  name: "DecisionRule",
  description: "How a body's proposals are decided; written out in services/governance/README.md.",
});
registerEnumType(SeatKind, {
  name: "SeatKind",
  description: "The kind of seat a member's private, self-declared bloc gives them. Only the member sees their own.",
});
registerEnumType(ResponseKind, { name: "ResponseKind" });
registerEnumType(ProposalStatus, { name: "ProposalStatus" });
registerEnumType(ProposalKind, {
  name: "ProposalKind",
  description: "AMENDMENT changes the circle's constitution when it passes.",
});
registerEnumType(Outcome, { name: "Outcome", description: "Computed when voting closes, never typed in." });
registerEnumType(RolePower, {
  name: "RolePower",
  description:
    "What a role grants in its body: while an active role grants a power, only its holders exercise it; otherwise every seated member does.",
});
registerEnumType(RoleStatus, { name: "RoleStatus" });
registerEnumType(DrawStatus, {
  name: "DrawStatus",
  description:
    "GATHERING: witnesses commit during the cycle. DRAWN: frozen at the new moon with three witnesses or more. CARRIED_OVER: frozen with fewer; nobody was drawn and the holders still seated kept the role.",
});
registerEnumType(PactStatus, { name: "PactStatus" });
registerEnumType(AssemblyKind, {
  name: "AssemblyKind",
  description:
    "SHADOW: any member submits to its agenda, edge members' items are published when the agenda closes. COMMONS: the monthly assembly of reflection, one per cycle.",
});
registerEnumType(AgendaItemState, {
  name: "AgendaItemState",
  description:
    "SUBMITTED: received by a shadow assembly whose agenda has not closed (what its submitter sees). PUBLISHED: on the agenda members read.",
});
registerEnumType(ReflectionKind, { name: "ReflectionKind" });
registerEnumType(PowerNodeKind, {
  name: "PowerNodeKind",
  description: "A role or institution that can arbitrarily say no; never a private person.",
});
registerEnumType(PowerFlow, { name: "PowerFlow", description: "What gives a node its weight." });
registerEnumType(ExperimentStatus, { name: "ExperimentStatus" });

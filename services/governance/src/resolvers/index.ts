import { AssemblyResolver } from "./assembly.resolver.js";
import { BodyResolver } from "./body.resolver.js";
import { ConstitutionResolver } from "./constitution.resolver.js";
import { DecisionLogEntryResolver } from "./decision-log-entry.resolver.js";
import { ExperimentResolver } from "./experiment.resolver.js";
import { PactResolver } from "./pact.resolver.js";
import { PowerMapResolver } from "./power-map.resolver.js";
import { ProposalResolver } from "./proposal.resolver.js";
import { RoleResolver } from "./role.resolver.js";

export const governanceResolvers = [
  BodyResolver,
  ProposalResolver,
  DecisionLogEntryResolver,
  RoleResolver,
  PactResolver,
  ConstitutionResolver,
  AssemblyResolver,
  PowerMapResolver,
  ExperimentResolver,
] as const;

import { isMemberOf } from "@rhizome/kit";
import type { GovernanceContext } from "./context.js";
import {
  toArticle,
  toAssembly,
  toBody,
  toExperiment,
  toPact,
  toPowerNode,
  toProposal,
  toRole,
} from "./resolvers/mappers.js";

type Loader<Row> = { load(id: string): Promise<Row | undefined> };

/** A reference resolves only for members of the row's circle; for anyone else it is null, as if it did not exist. */
function guarded<Row extends { circleId: string }, Out>(
  loaderOf: (context: GovernanceContext) => Loader<Row>,
  map: (row: Row) => Out,
) {
  return async (reference: { id: string }, context: GovernanceContext) => {
    const row = await loaderOf(context).load(reference.id);
    return row && isMemberOf(context.caller, row.circleId) ? map(row) : null;
  };
}

/** How `_entities` turns keys into objects, guarded like any field. */
export const governanceReferences = {
  GovernanceBody: guarded((c) => c.bodies, toBody),
  Proposal: guarded((c) => c.proposals, toProposal),
  GovernanceRole: guarded((c) => c.roles, toRole),
  Pact: guarded((c) => c.pacts, toPact),
  Article: guarded((c) => c.articles, toArticle),
  Assembly: guarded((c) => c.assemblies, toAssembly),
  PowerNode: guarded((c) => c.powerNodes, toPowerNode),
  Experiment: guarded((c) => c.experiments, toExperiment),
};

import { parse } from "graphql";
import {
  defineAction,
  forbidden,
  persistedOperationId,
  requireRole,
  type ActionStep,
  type Verdict,
} from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { registerPersistedOperation as register } from "../store/persisted-operations.js";

export interface PersistedOperationInput {
  /** The circle whose API keys may run it; null for the whole hub (the operator only). */
  circleId: string | null;
  document: string;
}

/** Whether the text is a GraphQL document: its parse error is the client's to fix. */
function operationProblem(document: string): string | undefined {
  try {
    parse(document);
    return undefined;
  } catch (error) {
    return `The document is not a GraphQL operation: ${(error as Error).message}`;
  }
}

/** Registers a trusted document for a circle's API keys (its organizers) or for the whole hub (the operator). */
export const registerPersistedOperation = defineAction({
  authorize: ({ caller }: ActionStep<NetworkContext>, input: PersistedOperationInput) => {
    if (input.circleId) requireRole(caller, input.circleId, "organizer");
    else if (caller.kind !== "operator")
      throw forbidden(
        "Only the hub's operator can register an operation for the whole hub; organizers register one for their circle.",
      );
  },
  decide: (input): Verdict<PersistedOperationInput & { id: string }> => {
    const problem = operationProblem(input.document);
    return problem ? { problem } : { ...input, id: persistedOperationId(input.document) };
  },
  apply: async ({ tx, now }, operation) => ({
    id: operation.id,
    createdAt: await register(tx, operation.circleId, operation.id, operation.document, now),
  }),
});

import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import { errorCodes } from "../runtime/errors.js";

/**
 * The limits on an operation's shape, the same at the gateway and in every subgraph: a subgraph
 * reached directly refuses what the gateway would. A subgraph's share of an operation is never
 * deeper and never has more aliases than the operation, but the query planner adds a few tokens
 * (an operation name, `__typename`, key fields), hence the allowance.
 */
export const OPERATION_LIMITS = { maxDepth: 12, maxAliases: 30, maxTokens: 2_000 } as const;
export const QUERY_PLANNER_TOKEN_ALLOWANCE = 500;

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
}

/** Refuses `_service`: it prints the subgraph's whole schema, which only composition needs, and that reads the code. */
const noServiceSdlRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === "_service" && context.getParentType()?.name === "Query") {
      context.reportError(
        new GraphQLError("This hub does not serve its subgraph schemas.", {
          nodes: [node],
          extensions: { code: errorCodes.badUserInput },
        }),
      );
    }
  },
});

// The rules throw by default, which Apollo Server takes for a crash; reported, they are a client's error.
const reportRejection = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** Validation rules for a subgraph: the gateway's limits, and in production no `_service`. */
export function subgraphValidationRules(limits: OperationLimits, isProduction: boolean): ValidationRule[] {
  return [
    // eslint-disable-next-line no-restricted-syntax -- graphql-armor types its rules against its own copy of graphql's ValidationRule
    maxDepthRule({
      n: limits.maxDepth,
      exposeLimits: true,
      flattenFragments: true,
      ...reportRejection,
    }) as unknown as ValidationRule,
    // eslint-disable-next-line no-restricted-syntax -- graphql-armor types its rules against its own copy of graphql's ValidationRule
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, ...reportRejection }) as unknown as ValidationRule,
    ...(isProduction ? [noServiceSdlRule] : []),
  ];
}

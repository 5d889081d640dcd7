import {
  QueryPlanner,
  type FetchNode,
  type PlanNode,
  type QueryPlan,
  type RequiresSelection,
} from "@graphql-hive/router-query-planner";
import {
  getOperationAST,
  Kind,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";

/** A document's plan with what the plan lane reads of the document on every request. */
export interface DocumentPlan {
  steps: ExecutablePlan;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** A step of a plan the plan lane executes itself (plan-lane.ts). */
export type ExecutablePlan = RootFetch | EntityFetch | { kind: "Sequence" | "Parallel"; steps: ExecutablePlan[] };

/** A subgraph request of a plan: the planner's document for one subgraph and the variables it uses. */
interface Fetch {
  subgraph: string;
  url: string;
  /** The planner's document, sent as it is. */
  operation: string;
  operationName?: string;
  /** The client's variables the document uses. */
  variableUsages: readonly string[];
}

/** A fetch of root fields, merged into the result's root. */
export interface RootFetch extends Fetch {
  kind: "RootFetch";
}

/** An `_entities` fetch for the objects at `path`, each sent as what `requires` selects of it. */
export interface EntityFetch extends Fetch {
  kind: "EntityFetch";
  /** Field names, and "@" for every item of a list. */
  path: readonly string[];
  requires: readonly RequiresSelection[];
}

/**
 * The query plans of the Rust planner the runtime uses (@graphql-hive/router-query-planner, as
 * @graphql-hive/router-runtime calls it), for the plan lane. A plan is executable when it is made of
 * fetches only: root fetches, `_entities` fetches at a path of fields and lists (Flatten), in
 * Sequence and Parallel, with no input or output rewrite and key-only requirements on object types.
 * Anything else (Condition, Defer, BatchFetch, Subscription, abstract types, rewrites) is null: the
 * runtime runs that document, decided once per document.
 */
export function createQueryPlans(options: {
  supergraph: string;
  subgraphUrls: ReadonlyMap<string, string>;
  /** The supergraph's object types: a requirement on any other type is left to the runtime. */
  objectTypes: ReadonlySet<string>;
}): (document: DocumentNode, operationName: string | undefined) => DocumentPlan | null {
  const planner = new QueryPlanner(options.supergraph);
  // With progressive override a plan depends on labels drawn per request: the runtime's alone.
  const hasOverrides = planner.overrideLabels.length > 0 || planner.overridePercentages.length > 0;

  const isKeyRequirement = (selection: RequiresSelection): boolean =>
    selection.kind === "Field" && (selection.selections ?? []).every(isKeyRequirement);

  const fetchOf = (node: FetchNode): Fetch | null => {
    const url = options.subgraphUrls.get(node.serviceName);
    if (!url || (node.operationKind !== undefined && node.operationKind !== "query")) return null;
    if (node.inputRewrites?.length || node.outputRewrites?.length) return null;
    return {
      subgraph: node.serviceName,
      url,
      operation: node.operation,
      operationName: node.operationName,
      variableUsages: node.variableUsages ?? [],
    };
  };

  const stepOf = (node: PlanNode): ExecutablePlan | null => {
    switch (node.kind) {
      case "Fetch": {
        const fetch = fetchOf(node);
        return fetch && !node.requires?.length ? { kind: "RootFetch", ...fetch } : null;
      }
      case "Flatten": {
        if (node.node.kind !== "Fetch") return null;
        const fetch = fetchOf(node.node);
        const path: string[] = [];
        for (const segment of node.path) {
          if (segment === "@") path.push("@");
          else if ("Field" in segment) path.push(segment.Field);
          else return null;
        }
        const requires = node.node.requires ?? [];
        const isKeysOnObjects = requires.every(
          (selection) =>
            selection.kind === "InlineFragment" &&
            options.objectTypes.has(selection.typeCondition) &&
            selection.skipIf === undefined &&
            selection.includeIf === undefined &&
            selection.selections.every(isKeyRequirement),
        );
        return fetch && requires.length > 0 && isKeysOnObjects
          ? { kind: "EntityFetch", ...fetch, path, requires }
          : null;
      }
      case "Sequence":
      case "Parallel": {
        const steps = node.nodes.map(stepOf);
        return steps.every((step) => step !== null) ? { kind: node.kind, steps } : null;
      }
      default:
        return null;
    }
  };

  return (document, operationName) => {
    if (hasOverrides) return null;
    let plan: QueryPlan;
    try {
      plan = planner.plan(print(document), operationName ?? null, new Set(), 0);
    } catch {
      return null;
    }
    const steps = plan.node ? stepOf(plan.node) : null;
    const operation = getOperationAST(document, operationName);
    if (!steps || !operation) return null;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    return { steps, operation, fragments };
  };
}

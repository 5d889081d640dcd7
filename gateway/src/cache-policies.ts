import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from "graphql";
import { cycleContaining } from "@rhizome/kit/rules";

// Every answer the gateway keeps for more than one caller is allowed here, and only here.

/**
 * How long a public answer may be served again, by schema coordinate (`Type.field`, or `Type.*` for
 * every field of a type). A field absent from it makes the whole operation uncacheable, so a new
 * field is live until someone decides otherwise here. `closedCycle` names the argument that must
 * name a closed lunar cycle: a closed cycle's figures no longer change, the current one's do.
 * Lifetimes bound how long a change stays unseen by the public: a rename, or a circle opting out
 * of comparisons, shows within a minute.
 */
export type CachePolicy = Readonly<Record<string, { maxAgeSeconds: number; closedCycle?: string }>>;

export const PUBLIC_CACHE_POLICY: CachePolicy = {
  "Query.barterStarterSkills": { maxAgeSeconds: 300 },
  "Query.circle": { maxAgeSeconds: 60 },
  "Circle.id": { maxAgeSeconds: 60 },
  "Circle.slug": { maxAgeSeconds: 60 },
  "Circle.name": { maxAgeSeconds: 60 },
  "Circle.barterSummary": { maxAgeSeconds: 60, closedCycle: "cycle" },
  "BarterCycleSummary.*": { maxAgeSeconds: 60 },
  "SkillBalance.*": { maxAgeSeconds: 60 },
  // Comparisons and trends end with the last closed cycle; opting out shows within a minute.
  "Query.compareCircles": { maxAgeSeconds: 60 },
  "CircleComparisonPage.*": { maxAgeSeconds: 60 },
  "CircleComparison.*": { maxAgeSeconds: 60 },
  "Query.sovereigntyTrend": { maxAgeSeconds: 60 },
  "SovereigntyTrendPoint.*": { maxAgeSeconds: 60 },
};

/** What an operation needs before it may be cached: a lifetime, and the cycle arguments to check. */
export interface Analysis {
  maxAgeSeconds: number;
  closedCycleArguments: ValueNode[];
}

export const NOT_CACHEABLE: Analysis = { maxAgeSeconds: 0, closedCycleArguments: [] };

/** Each object and interface type's fields and the named type each returns: all the analysis needs of the schema. */
export type FieldTypes = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function fieldTypesOf(supergraph: string): FieldTypes {
  const types = new Map<string, Map<string, string>>();
  for (const definition of parse(supergraph).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    const fields = types.get(definition.name.value) ?? new Map<string, string>();
    for (const field of definition.fields ?? []) {
      let type: TypeNode = field.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      fields.set(field.name.value, type.name.value);
    }
    types.set(definition.name.value, fields);
  }
  return types;
}

export function analyse(
  fieldTypes: FieldTypes,
  policy: CachePolicy,
  document: DocumentNode,
  operationName: string | undefined,
): Analysis {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== "query") return NOT_CACHEABLE;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let maxAgeSeconds = Infinity;
  const closedCycleArguments: ValueNode[] = [];
  const visiting = new Set<string>();

  /** False as soon as a selection reads anything the policy does not name. */
  const isCacheable = (selectionSet: SelectionSetNode, parentType: string): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT)
        return isCacheable(selection.selectionSet, selection.typeCondition?.name.value ?? parentType);
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) return false;
        visiting.add(fragment.name.value);
        const result = isCacheable(fragment.selectionSet, fragment.typeCondition.name.value);
        visiting.delete(fragment.name.value);
        return result;
      }
      const name = selection.name.value;
      if (name === "__typename") return true;
      const rule = policy[`${parentType}.${name}`] ?? policy[`${parentType}.*`];
      const returnType = fieldTypes.get(parentType)?.get(name);
      if (!rule || !returnType) return false;
      maxAgeSeconds = Math.min(maxAgeSeconds, rule.maxAgeSeconds);
      if (rule.closedCycle) {
        const argument = selection.arguments?.find((a) => a.name.value === rule.closedCycle);
        if (!argument) return false;
        closedCycleArguments.push(argument.value);
      }
      return !selection.selectionSet || isCacheable(selection.selectionSet, returnType);
    });

  return isCacheable(operation.selectionSet, "Query") && Number.isFinite(maxAgeSeconds) && maxAgeSeconds > 0
    ? { maxAgeSeconds, closedCycleArguments }
    : NOT_CACHEABLE;
}

const CYCLE_LABEL = /^\d{4}-\d{2}-\d{2}$/;

export function namesClosedCycle(value: ValueNode, variables: Record<string, unknown>, now: Date): boolean {
  const label =
    value.kind === Kind.STRING ? value.value : value.kind === Kind.VARIABLE ? variables[value.name.value] : undefined;
  return typeof label === "string" && CYCLE_LABEL.test(label) && label < cycleContaining(now).label;
}

/**
 * Subgraph fields whose answer is the same for every caller and depends on nothing but their
 * arguments, by schema coordinate (as in PUBLIC_CACHE_POLICY). Almost every query about one circle
 * starts by asking network for `circle(slug) { id }` before the services that own the rest; that
 * first step is shared between callers here, members included. Slugs and ids never change and no
 * mutation renames a circle; a rename added later would show within the lifetime.
 */
export const SHARED_FETCH_POLICY: CachePolicy = {
  "Query.circle": { maxAgeSeconds: 60 },
  "Circle.id": { maxAgeSeconds: 60 },
  "Circle.slug": { maxAgeSeconds: 60 },
  "Circle.name": { maxAgeSeconds: 60 },
};

import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from "graphql";

/** What the supergraph says about one field of an object type. */
interface FieldFacts {
  /** The named type it returns. */
  returnType: string;
  /** The subgraphs that resolve it themselves (not external, no @requires, no progressive override). */
  owners: ReadonlySet<string>;
  /** Arguments whose value sets the field's estimated cost (@listSize's slicing arguments). */
  slicingArguments: ReadonlySet<string>;
}

/** Object types' fields; interfaces, unions and anything else the supergraph leaves out are absent. */
interface Graph {
  types: ReadonlyMap<string, ReadonlyMap<string, FieldFacts>>;
  /** Built-in and custom scalars: the only types a variable may have here. */
  scalars: ReadonlySet<string>;
}

const BUILT_IN_SCALARS = ["String", "Int", "Float", "Boolean", "ID"];

/** The supergraph's join__Graph enum values by subgraph name (`NETWORK` → `network`). */
function graphNamesOf(definitions: DocumentNode["definitions"]): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== "join__Graph") continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === "join__graph");
      const name = graph?.arguments?.find((a) => a.name.value === "name")?.value;
      if (name?.kind === Kind.STRING) names.set(value.name.value, name.value);
    }
  }
  return names;
}

const argumentOf = (directive: ConstDirectiveNode, name: string) =>
  directive.arguments?.find((a) => a.name.value === name)?.value;

function namedType(type: TypeNode): string {
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
}

/** Which subgraphs resolve `field` of a type joined to `typeGraphs`, by its @join__field directives. */
function ownersOf(
  field: FieldDefinitionNode,
  typeGraphs: ReadonlySet<string>,
  graphNames: ReadonlyMap<string, string>,
): Set<string> {
  const joins = field.directives?.filter((d) => d.name.value === "join__field") ?? [];
  // No @join__field: every subgraph the type is joined to defines it.
  if (joins.length === 0) return new Set(typeGraphs);
  const owners = new Set<string>();
  for (const join of joins) {
    const graph = argumentOf(join, "graph");
    if (graph?.kind !== Kind.ENUM) return new Set(); // not tied to one subgraph: leave it to the planner
    const isOwn = (["external", "usedOverridden"] as const).every((name) => {
      const value = argumentOf(join, name);
      return !(value?.kind === Kind.BOOLEAN && value.value);
    });
    const hasRequirements = ["requires", "overrideLabel", "contextArguments"].some(
      (name) => argumentOf(join, name) !== undefined,
    );
    const subgraph = graphNames.get(graph.value);
    if (subgraph && isOwn && !hasRequirements) owners.add(subgraph);
  }
  return owners;
}

function graphOf(supergraph: string): Graph {
  const { definitions } = parse(supergraph);
  const graphNames = graphNamesOf(definitions);
  const types = new Map<string, Map<string, FieldFacts>>();
  const scalars = new Set(BUILT_IN_SCALARS);
  for (const definition of definitions) {
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION) scalars.add(definition.name.value);
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    // A type the API schema hides, or an @inaccessible field, is never answered here: the runtime refuses it.
    if (definition.directives?.some((d) => d.name.value === "inaccessible")) continue;
    const typeGraphs = new Set<string>();
    for (const join of definition.directives?.filter((d) => d.name.value === "join__type") ?? []) {
      const graph = argumentOf(join, "graph");
      const subgraph = graph?.kind === Kind.ENUM ? graphNames.get(graph.value) : undefined;
      if (subgraph) typeGraphs.add(subgraph);
    }
    const fields = new Map<string, FieldFacts>();
    for (const field of definition.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === "inaccessible")) continue;
      const listSize = field.directives?.find((d) => d.name.value === "listSize");
      const slicing = listSize ? argumentOf(listSize, "slicingArguments") : undefined;
      fields.set(field.name.value, {
        returnType: namedType(field.type),
        owners: ownersOf(field, typeGraphs, graphNames),
        slicingArguments: new Set(
          slicing?.kind === Kind.LIST
            ? slicing.values.flatMap((value) => (value.kind === Kind.STRING ? [value.value] : []))
            : [],
        ),
      });
    }
    types.set(definition.name.value, fields);
  }
  return { types, scalars };
}

const CONDITIONAL_DIRECTIVES = new Set(["skip", "include"]);

function usesVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(usesVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => usesVariable(field.value));
  return false;
}

/** What a document allows the gateway's lanes past the runtime to do with it, decided once per document. */
export interface DocumentLanes {
  /** The one subgraph that answers the whole query by itself (the fast lane's, fast-lane.ts). */
  singleSubgraph?: string;
  /**
   * A query on object types only, each field resolved by some subgraph without @requires, override
   * or external fields, and nothing that sets its cost from a variable: the plan lane (plan-lane.ts)
   * may execute its plan. Unlike the fast lane, @skip/@include may take a variable.
   */
  isPlainQuery: boolean;
}

/**
 * The one subgraph that answers a whole query by itself, or undefined when the runtime's planner
 * must decide. Decided from the supergraph's @join__type/@join__field directives, conservatively:
 * every selected field, through fragments, must be resolved by the same single subgraph on an
 * object type, without an entity jump (@requires, external fields, progressive override), and
 * return an object, scalar or enum (never an interface or a union, whose possible types differ by
 * subgraph). Introspection (`__schema`, `__type`), any directive other than @skip/@include with a
 * literal, a variable that is not a scalar, and a variable in a cost-setting (@listSize slicing) argument leave it to the runtime,
 * so the cost a runtime run checked once holds for every later request with the same document.
 */
export function singleSubgraphAnalysis(
  supergraph: string,
): (document: DocumentNode, operationName: string | undefined) => DocumentLanes {
  const { types: graph, scalars } = graphOf(supergraph);
  const NOT_PLAIN: DocumentLanes = { isPlainQuery: false };
  return (document, operationName) => {
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation || operation.operation !== "query" || operation.directives?.length) return NOT_PLAIN;
    // The subgraph receives the variables as sent: only scalars, whose values the API schema and the
    // subgraph read alike (an input object or an enum could carry a field or value the API hides).
    if (operation.variableDefinitions?.some((variable) => !scalars.has(namedType(variable.type)))) return NOT_PLAIN;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    let owners: Set<string> | undefined;
    let hasVariableCondition = false;
    const visiting = new Set<string>();

    const isPlainDirectives = (
      directives: readonly { name: { value: string }; arguments?: readonly { value: ValueNode }[] }[] | undefined,
    ) =>
      (directives ?? []).every((directive) => {
        if (!CONDITIONAL_DIRECTIVES.has(directive.name.value)) return false;
        if ((directive.arguments ?? []).some((argument) => usesVariable(argument.value))) hasVariableCondition = true;
        return true;
      });

    const isAnswered = (selectionSet: SelectionSetNode, parentType: string): boolean =>
      selectionSet.selections.every((selection) => {
        if (!isPlainDirectives(selection.directives)) return false;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition?.name.value ?? parentType;
          return condition === parentType && isAnswered(selection.selectionSet, parentType);
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visiting.has(fragment.name.value)) return false;
          if (fragment.typeCondition.name.value !== parentType || !isPlainDirectives(fragment.directives)) return false;
          visiting.add(fragment.name.value);
          const result = isAnswered(fragment.selectionSet, parentType);
          visiting.delete(fragment.name.value);
          return result;
        }
        const name = selection.name.value;
        if (name === "__typename") return true;
        const facts = graph.get(parentType)?.get(name);
        if (!facts || facts.owners.size === 0) return false;
        if (
          selection.arguments?.some(
            (argument) => facts.slicingArguments.has(argument.name.value) && usesVariable(argument.value),
          )
        )
          return false;
        owners = new Set([...(owners ?? facts.owners)].filter((owner) => facts.owners.has(owner)));
        if (!selection.selectionSet) return !graph.has(facts.returnType);
        return graph.has(facts.returnType) && isAnswered(selection.selectionSet, facts.returnType);
      });

    if (!isAnswered(operation.selectionSet, "Query")) return NOT_PLAIN;
    const isSingle = !hasVariableCondition && owners?.size === 1;
    return { isPlainQuery: true, singleSubgraph: isSingle ? [...owners!][0] : undefined };
  };
}

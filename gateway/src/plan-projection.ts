import type { RequiresSelection } from "@graphql-hive/router-query-planner";
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLEnumType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

/** Why the plan lane hands a request to the runtime: its answer would not be the plain data the lane can give. */
export class NotPlainData extends Error {
  override name = "NotPlainData";
}

type Data = Record<string, unknown>;

/** The supergraph as a schema: object types, their fields and enum values, for projection and variables. */
export function supergraphSchemaOf(supergraph: string): GraphQLSchema {
  return buildASTSchema(parse(supergraph), { assumeValidSDL: true });
}

const isPlainObject = (value: unknown): value is Data => !!value && typeof value === "object" && !Array.isArray(value);

/**
 * Merges `source` into `target` as the runtime's plan executor does (graphql-tools' mergeDeep
 * respecting arrays and their length): lists of the same length item by item, objects key by key
 * in the target's order then the source's, anything else the source's value.
 */
export function mergeData(target: unknown, source: unknown): unknown {
  if (source === undefined) return target;
  if (Array.isArray(target) && Array.isArray(source)) {
    if (target.length !== source.length) return [...target, ...source];
    return target.map((item, index) => mergeData(item, source[index]));
  }
  if (isPlainObject(source)) {
    const output: Data = isPlainObject(target) ? { ...target } : {};
    for (const key in source) {
      if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
      const value = source[key];
      output[key] =
        Object.prototype.hasOwnProperty.call(output, key) && value !== undefined
          ? mergeData(output[key], value)
          : value;
    }
    return output;
  }
  return source;
}

/** An entity's representation: what the fetch's `requires` selects of it (key fields and __typename). */
export function representationOf(requires: readonly RequiresSelection[], entity: Data): Data | null {
  const result: Data = {};
  for (const selection of requires) {
    if (selection.kind === "Field") {
      const original =
        entity[selection.name] !== undefined ? entity[selection.name] : entity[selection.alias ?? selection.name];
      const value =
        selection.selections && isPlainObject(original) ? representationOf(selection.selections, original) : original;
      if (selection.selections && original != null && !isPlainObject(original)) throw new NotPlainData();
      if (value != null) result[selection.alias ?? selection.name] = value;
    } else if (selection.kind === "InlineFragment") {
      if (entity.__typename === selection.typeCondition) {
        const projected = representationOf(selection.selections, entity);
        if (projected) Object.assign(result, mergeData(result, projected));
      }
    } else throw new NotPlainData();
  }
  const keys = Object.keys(result);
  return keys.length === 0 || (keys.length === 1 && result.__typename) ? null : result;
}

/** JSON with sorted keys: identical representations are sent once, as the runtime sends them. */
export function stableStringify(value: unknown): string {
  if (value == null) return "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Data)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`);
    return `{${entries.join(",")}}`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value as number | boolean);
}

/** Whether @skip/@include leave a selection out, read as the runtime's projection reads them. */
function isLeftOut(directives: readonly DirectiveNode[] | undefined, variables: Data): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === "if")?.value;
    if (!condition) return true;
    let value: unknown;
    if (condition.kind === Kind.VARIABLE) value = variables[condition.name.value];
    else if (condition.kind === Kind.BOOLEAN) value = condition.value;
    else continue;
    if (name === "skip" && value) return true;
    if (name === "include" && !value) return true;
  }
  return false;
}

interface Projection {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Data;
}

/**
 * The merged data projected onto the client's operation as the runtime projects it
 * (router-runtime's projectSelectionSet): each response key in the order the operation asks for
 * it, fragments merged in place, `__typename` named, @skip/@include applied, the planner's own
 * key fields left out. Only object types reach here (single-subgraph.ts `isPlainQuery`). Where
 * the runtime would make up a value (a field missing from the data, an enum value the schema does
 * not know), it throws NotPlainData and the runtime answers instead.
 */
export function projectData(
  data: unknown,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  projection: Projection,
): unknown {
  if (data == null) return data;
  if (Array.isArray(data)) return data.map((item) => projectData(item, selectionSet, type, projection));
  if (!isObjectType(type) || !isPlainObject(data)) throw new NotPlainData();
  const result: Data = {};
  for (const selection of selectionSet.selections) {
    if (isLeftOut(selection.directives, projection.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const responseKey = selection.alias?.value ?? selection.name.value;
      if (selection.name.value === "__typename") {
        result[responseKey] = data[responseKey] ?? type.name;
        continue;
      }
      const field = type.getFields()[selection.name.value];
      if (!field) throw new NotPlainData();
      const fieldType = getNamedType(field.type);
      const value = data[responseKey];
      if (value === undefined) throw new NotPlainData();
      const projected = selection.selectionSet
        ? projectData(value, selection.selectionSet, fieldType, projection)
        : value;
      if (isEnumType(fieldType)) assertKnownEnumValues(projected, fieldType);
      if (result[responseKey] == null) result[responseKey] = projected;
      // A field asked for twice in one selection set: the runtime merges the two without regard to
      // lists (a list asked for twice comes out twice as long), so it answers those itself.
      else if (projected !== null && typeof projected === "object") throw new NotPlainData();
      else result[responseKey] = projected;
      if (isNonNullType(field.type) && projected === null) throw new NotPlainData();
    } else {
      let fragmentSelection: SelectionSetNode;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (condition && condition !== type.name) throw new NotPlainData();
        fragmentSelection = selection.selectionSet;
      } else {
        const fragment = projection.fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== type.name) throw new NotPlainData();
        fragmentSelection = fragment.selectionSet;
      }
      const projected = projectData(data, fragmentSelection, type, projection);
      if (projected != null) Object.assign(result, mergeData(result, projected));
    }
  }
  return result;
}

/** The runtime answers null for an enum value the API schema does not have; the lane leaves that to it. */
function assertKnownEnumValues(value: unknown, type: GraphQLEnumType): void {
  if (Array.isArray(value)) {
    for (const item of value) assertKnownEnumValues(item, type);
    return;
  }
  if (value === null) return;
  const known = typeof value === "string" ? type.getValue(value) : undefined;
  if (!known || known.astNode?.directives?.some((directive) => directive.name.value === "inaccessible"))
    throw new NotPlainData();
}

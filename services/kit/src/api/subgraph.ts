import "reflect-metadata";
import { parse, type GraphQLSchema } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { buildSchema, createResolversMap, type NonEmptyArray } from "type-graphql";
import {
  DISCLOSURE_DIRECTIVE_DEFINITION,
  DISCLOSURE_SPEC_URL,
  enforceDisclosure,
  spreadDisclosureClasses,
} from "./disclosure.js";

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@listSize", "@cost", "@composeDirective"])' +
  ` @link(url: "${DISCLOSURE_SPEC_URL}", import: ["@disclosure"]) @composeDirective(name: "@disclosure")\n${DISCLOSURE_DIRECTIVE_DEFINITION}`;

/** Resolves an entity from its key; used by the subgraph's `_entities` entry point. */
export type ReferenceResolver<Context> = (reference: { __typename: string; id: string }, context: Context) => unknown;

export interface SubgraphDefinition<Context> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
  orphanedTypes?: Function[];
  /** Per entity type, how `_entities` turns a key into an object. Each must authorize like a field. */
  referenceResolvers?: Record<string, ReferenceResolver<Context>>;
}

export interface BuiltSubgraph {
  schema: GraphQLSchema;
  sdl: string;
}

/** Turns type-graphql resolvers into a Federation 2 subgraph schema and its SDL. */
export async function buildSubgraph<Context>(definition: SubgraphDefinition<Context>): Promise<BuiltSubgraph> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: { forbidUnknownValues: false },
  });
  const sdl = `${FEDERATION_LINK}\n\n${spreadDisclosureClasses(printSchemaWithDirectives(typeGraphqlSchema))}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolveReference] of Object.entries(definition.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolveReference };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Apollo subgraph resolvers are typed for its own resolver map shape
  const schema = enforceDisclosure(buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as any }]));
  return { schema, sdl };
}

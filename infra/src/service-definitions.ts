import type { ServiceDefinition } from "@rhizome/kit";

export type AnyServiceDefinition = ServiceDefinition<never, never>;

function isDefinitionOf(name: string, value: unknown): value is AnyServiceDefinition {
  const candidate = value as Partial<AnyServiceDefinition> | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    candidate.name === name &&
    Array.isArray(candidate.resolvers) &&
    Array.isArray(candidate.migrations)
  );
}

/** A service's definition from its package: the `<name>Service` export, or else the one export that defines `<name>`. */
export async function loadServiceDefinition(name: string): Promise<AnyServiceDefinition> {
  const module = (await import(`@rhizome/${name}`)) as Record<string, unknown>;
  const named = module[`${name}Service`];
  if (isDefinitionOf(name, named)) return named;
  const found = Object.values(module).filter((value) => isDefinitionOf(name, value));
  if (found.length !== 1)
    throw new Error(
      `@rhizome/${name} exports ${found.length} definitions of the ${name} service; export one as ${name}Service.`,
    );
  return found[0];
}

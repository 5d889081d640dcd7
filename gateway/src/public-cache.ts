import type { IncomingMessage, ServerResponse } from "node:http";
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from "graphql";
import { cycleContaining, ExpiringLru } from "@rhizome/kit/edge";
import type { RequestWithBody } from "./request-size-limit.js";
import { captureAnswer, CREDENTIAL_HEADERS, writeAnswer, type Answer } from "./answers.js";

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

const NOT_CACHEABLE: Analysis = { maxAgeSeconds: 0, closedCycleArguments: [] };

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

function namesClosedCycle(value: ValueNode, variables: Record<string, unknown>, now: Date): boolean {
  const label =
    value.kind === Kind.STRING ? value.value : value.kind === Kind.VARIABLE ? variables[value.name.value] : undefined;
  return typeof label === "string" && CYCLE_LABEL.test(label) && label < cycleContaining(now).label;
}

interface CachedAnswer extends Answer {
  storedAtMs: number;
}

export interface PublicCacheOptions {
  supergraph: string;
  maxEntries: number;
  now: () => Date;
  /** Counts a request answered from the cache against its client's rate limit; false when spent. */
  mayRequest: (request: IncomingMessage) => Promise<boolean>;
  onLookup?: (outcome: "hit" | "miss") => void;
}

export interface PublicCache {
  /** Answers from the cache and returns true, or returns false and lets `response` fill the cache; plain false at once for a request that is someone's. */
  serve(request: RequestWithBody, response: ServerResponse): false | Promise<boolean>;
}

/**
 * A cache, in this gateway's memory, of answers to anonymous queries that read only public data
 * the policy names, served before any GraphQL work. Answers with errors are never kept. Anyone
 * sending a credential goes through the whole gateway: what they read may be theirs alone.
 */
export function createPublicCache(options: PublicCacheOptions): PublicCache {
  const fieldTypes = fieldTypesOf(options.supergraph);
  const analyses = new ExpiringLru<string, Analysis>(1_000);
  const answers = new ExpiringLru<string, CachedAnswer>(options.maxEntries);

  const analysisOf = (query: string, operationName: string | undefined, nowMs: number): Analysis => {
    const key = `${operationName ?? ""}\u0000${query}`;
    const known = analyses.get(key, nowMs);
    if (known.isHit) return known.value;
    let analysis = NOT_CACHEABLE;
    try {
      analysis = analyse(fieldTypes, PUBLIC_CACHE_POLICY, parse(query, { maxTokens: 5_000 }), operationName);
    } catch {
      // Not GraphQL the cache understands: the gateway answers it, with its own errors.
    }
    analyses.set(key, analysis, Number.MAX_SAFE_INTEGER);
    return analysis;
  };

  /** Seconds the answer to this request body may be served again; 0 when it may not be kept. */
  const cacheLifetime = (body: string, nowMs: number): number => {
    let params: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      params = JSON.parse(body);
    } catch {
      return 0;
    }
    if (typeof params?.query !== "string") return 0;
    const variables =
      params.variables && typeof params.variables === "object" ? (params.variables as Record<string, unknown>) : {};
    const operationName = typeof params.operationName === "string" ? params.operationName : undefined;
    const analysis = analysisOf(params.query, operationName, nowMs);
    const now = new Date(nowMs);
    return analysis.closedCycleArguments.every((value) => namesClosedCycle(value, variables, now))
      ? analysis.maxAgeSeconds
      : 0;
  };

  return {
    serve(request, response) {
      if (request.method !== "POST" || CREDENTIAL_HEADERS.some((name) => request.headers[name] !== undefined))
        return false;
      return serveAnonymous(request, response);
    },
  };

  async function serveAnonymous(request: RequestWithBody, response: ServerResponse): Promise<boolean> {
    const nowMs = options.now().getTime();
    const body = request.body.toString("utf8");
    // Only answers the policy allowed were kept, and a cycle once closed stays closed: a kept
    // answer needs no second look at its operation.
    const key = `${request.url}\u0000${body}`;
    const cached = answers.get(key, nowMs);
    if (cached.isHit) {
      // A refused client goes on through the gateway, which counts it again and answers 429.
      if (!(await options.mayRequest(request))) return false;
      options.onLookup?.("hit");
      writeAnswer(request, response, cached.value, {
        age: String(Math.floor((nowMs - cached.value.storedAtMs) / 1000)),
        "x-cache": "hit",
      });
      return true;
    }
    const maxAgeSeconds = cacheLifetime(body, nowMs);
    if (maxAgeSeconds === 0) return false;
    options.onLookup?.("miss");
    response.setHeader("x-cache", "miss");
    captureAnswer(response, (answer) => {
      if (answer?.status === 200 && isCleanAnswer(answer.body))
        answers.set(key, { ...answer, storedAtMs: nowMs }, nowMs + maxAgeSeconds * 1000);
    });
    return false;
  }
}

function isCleanAnswer(body: Buffer): boolean {
  try {
    const result = JSON.parse(body.toString("utf8")) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    // A root field that found nothing (a slug not yet taken) may find something the next moment.
    return !!result.data && !result.errors?.length && Object.values(result.data).every((value) => value !== null);
  } catch {
    return false;
  }
}

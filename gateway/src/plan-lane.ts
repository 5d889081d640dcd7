import { getVariableValues, type DocumentNode, type GraphQLSchema } from "graphql";
import type { Answer } from "./answers.js";
import {
  ClientGone,
  laneAnswer,
  mayTakeLane,
  requestIdOf,
  runUntilProven,
  subgraphHeaders,
  type LaneOptions,
} from "./lanes.js";
import type { Exchange, Step } from "./pipeline.js";
import { mergeData, NotPlainData, projectData, representationOf, stableStringify } from "./plan-projection.js";
import type { DocumentPlan, EntityFetch, ExecutablePlan, RootFetch } from "./query-plans.js";

type Data = Record<string, unknown>;

export interface PlanLaneOptions extends LaneOptions {
  /** The supergraph as a schema (plan-projection.ts): variables and projection read it. */
  schema: GraphQLSchema;
  /** The plan of a document, or null when the runtime must run it (query-plans.ts). */
  planOf: (document: DocumentNode, operationName: string | undefined) => DocumentPlan | null;
  /** Counts the requests the plan lane answered. */
  onAnswered?: () => void;
  /** Counts the requests it handed to the runtime after starting them (a subgraph error, a null). */
  onHandedBack?: () => void;
}

/** One request's run of a plan: its variables, its headers per subgraph, and the data merged so far. */
interface Run {
  exchange: Exchange;
  requestId: string;
  variables: Data;
  data: Data;
  client: ClientGone;
}

/** The client's variables a fetch uses, as the runtime selects them (coerced). */
function selectedVariables(variables: Data, usages: readonly string[]): Data | undefined {
  let selected: Data | undefined;
  for (const name of usages)
    if (Object.prototype.hasOwnProperty.call(variables, name)) (selected ??= {})[name] = variables[name];
  return selected;
}

/** The items at a Flatten path (fields, "@" for each item of a list), as the runtime collects them. */
function entitiesAt(value: unknown, path: readonly string[], index: number, found: Data[]): void {
  if (value == null) return;
  if (index === path.length) {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object") found.push(item as Data);
    } else if (typeof value === "object") found.push(value as Data);
    return;
  }
  const segment = path[index];
  if (Array.isArray(value)) {
    if (segment === "@") for (const item of value) entitiesAt(item, path, index + 1, found);
    else for (const item of value) entitiesAt(item, path, index, found);
  } else if (typeof value === "object" && segment !== "@") entitiesAt((value as Data)[segment], path, index + 1, found);
}

/** One subgraph request of a run: its data, when it is plain data and nothing else. */
async function send(
  options: PlanLaneOptions,
  run: Run,
  fetch: RootFetch | EntityFetch,
  variables: Data | undefined,
): Promise<Data> {
  const { request } = run.exchange;
  const headers = await subgraphHeaders(options, request, run.requestId, fetch.subgraph);
  const body = JSON.stringify({ query: fetch.operation, variables, operationName: fetch.operationName });
  const startedAtMs = performance.now();
  const seconds = () => (performance.now() - startedAtMs) / 1000;
  let status: number;
  let text: string;
  try {
    const answer = await options.requests.fetchRead(
      fetch.subgraph,
      fetch.url,
      { method: "POST", headers, body },
      run.client,
    );
    status = answer.status;
    text = await answer.text();
  } catch (error) {
    options.onSubgraphAnswered?.(fetch.subgraph, "error", seconds());
    throw error;
  }
  let result: { data?: unknown; errors?: unknown; extensions?: unknown } | undefined;
  try {
    if (status === 200) result = JSON.parse(text) as typeof result;
  } catch {
    result = undefined;
  }
  const isPlain =
    !!result &&
    result.errors === undefined &&
    result.extensions === undefined &&
    !!result.data &&
    typeof result.data === "object";
  options.onSubgraphAnswered?.(fetch.subgraph, isPlain ? "ok" : "error", seconds());
  if (!isPlain) throw new NotPlainData();
  return result!.data as Data;
}

/** An `_entities` fetch for the objects at its path, merged back into each by index. */
async function fetchEntities(options: PlanLaneOptions, run: Run, fetch: EntityFetch): Promise<void> {
  const targets: Data[] = [];
  const order: number[] = [];
  const representations: Data[] = [];
  const indexOfKey = new Map<string, number>();
  const found: Data[] = [];
  entitiesAt(run.data, fetch.path, 0, found);
  for (const entity of found) {
    if (entity.__typename == null) continue;
    const representation = representationOf(fetch.requires, entity);
    if (!representation) continue;
    representation.__typename ??= entity.__typename;
    const key = stableStringify(representation);
    let index = indexOfKey.get(key);
    if (index === undefined) {
      index = representations.length;
      indexOfKey.set(key, index);
      representations.push(representation);
    }
    targets.push(entity);
    order.push(index);
  }
  if (representations.length === 0) return;
  const selected = selectedVariables(run.variables, fetch.variableUsages);
  const data = await send(options, run, fetch, selected ? { ...selected, representations } : { representations });
  const entities = data._entities;
  if (!Array.isArray(entities) || entities.length !== representations.length) throw new NotPlainData();
  targets.forEach((target, index) => {
    const entity: unknown = entities[order[index]];
    if (!entity || typeof entity !== "object") throw new NotPlainData();
    Object.assign(target, mergeData(target, entity));
  });
}

/** Runs a step of the plan: Sequence one after another, Parallel all at once. */
async function execute(options: PlanLaneOptions, run: Run, step: ExecutablePlan): Promise<void> {
  switch (step.kind) {
    case "RootFetch": {
      const data = await send(options, run, step, selectedVariables(run.variables, step.variableUsages));
      Object.assign(run.data, mergeData(run.data, data));
      return;
    }
    case "EntityFetch":
      return fetchEntities(options, run, step);
    case "Sequence":
      for (const inner of step.steps) await execute(options, run, inner);
      return;
    case "Parallel":
      await Promise.all(step.steps.map((inner) => execute(options, run, inner)));
  }
}

/**
 * The plan lane: a query that needs two or more subgraphs, whose plan (query-plans.ts) is made of
 * fetches only, is executed here from its plan, cached with the document, without the runtime's
 * request handling, validation, execution and projection, once the runtime has answered the same
 * document cleanly (the fast lane's rule, lanes.ts). The same checks that depend on the caller are
 * made as for the fast lane (mayTakeLane), the variables are coerced as the runtime coerces them,
 * and the rate limit counts the request once.
 *
 * Each fetch goes through the runtime's sender (one timeout, identical reads shared, cancelled when
 * the client hangs up) with the headers the runtime's path sends that subgraph, so each subgraph
 * checks the caller's token and the gateway's signature and decides what the caller may read, as
 * it does for the runtime. Entity fetches send the representations of the objects at their path,
 * identical ones once, and the answers are merged back by index. The merged data is projected onto
 * the client's operation exactly as the runtime projects it (plan-projection.ts). Anything but
 * plain data — a subgraph error or extension, a status other than 200, a missing entity or field,
 * a timeout — hands the request to the runtime, which answers it with its masking and codes.
 */
export function planLane(options: PlanLaneOptions): Step {
  const answer = async (exchange: Exchange, plan: DocumentPlan, variables: Data): Promise<Answer> => {
    const requestId = requestIdOf(exchange.request);
    const run: Run = { exchange, requestId, variables, data: {}, client: new ClientGone(exchange.response) };
    await execute(options, run, plan.steps);
    const data = projectData(run.data, plan.operation.selectionSet, options.schema.getQueryType()!, {
      schema: options.schema,
      fragments: plan.fragments,
      variables,
    });
    return laneAnswer(exchange.request, requestId, JSON.stringify({ data }));
  };

  return async (exchange, next) => {
    const operation = exchange.operation;
    // A query one subgraph answers alone is the fast lane's (fast-lane.ts).
    if (!operation?.document || operation.kind !== "query" || !operation.isPlainQuery || operation.singleSubgraph)
      return next();
    const learning = await runUntilProven(exchange, next);
    if (learning) return learning.answer;
    if (!(await mayTakeLane(options, exchange))) return next();
    const { operationName, variables } = exchange.params as { operationName?: unknown; variables?: unknown };
    if (operation.plan === undefined)
      operation.plan = options.planOf(
        operation.document,
        typeof operationName === "string" ? operationName : undefined,
      );
    const plan = operation.plan;
    if (!plan) return next();
    const coerced = getVariableValues(
      options.schema,
      plan.operation.variableDefinitions ?? [],
      (variables ?? {}) as Data,
    );
    if (!coerced.coerced) return next();
    if (!(await options.mayRequest(exchange.request))) return next();
    // Counted once: if the runtime answers it after all, its rate limit does not count it again.
    exchange.isCounted = true;
    try {
      const answered = await answer(exchange, plan, coerced.coerced);
      options.onAnswered?.();
      return answered;
    } catch {
      // The client has gone: nobody reads an answer.
      if (exchange.response.destroyed) return undefined;
      options.onHandedBack?.();
      return next();
    }
  };
}

import type { EntityManager } from "typeorm";
import type { Caller, CircleRole, Membership } from "../auth/auth.js";
import { inSerializableTransaction } from "../data/database.js";
import { badInput, conflict, forbidden, notFound } from "../runtime/errors.js";
import { isUuid } from "./loaders.js";
import { requireOwnedRow } from "./ownership.js";
import { isRefusal, type Refusal, type Verdict } from "../rules/verdict.js";
import type { ServiceContext } from "../service/service.js";

/** The refusal as the GraphQL error a client reads, with its code. */
export function refusalError(refusal: Refusal) {
  switch (refusal.code) {
    case "CONFLICT":
      return conflict(refusal.problem);
    case "NOT_FOUND":
      return notFound(refusal.problem);
    case "FORBIDDEN":
      return forbidden(refusal.problem);
    default:
      return badInput(refusal.problem);
  }
}

/** The value a domain rule allowed, or its refusal thrown as the GraphQL error with its code. */
export function accepted<T>(verdict: Verdict<T>): T {
  if (isRefusal(verdict)) throw refusalError(verdict);
  return verdict;
}

/** An id a client sent: a malformed one is NOT_FOUND with the message, exactly like a wrong one. */
export function requireId(id: string, notFoundMessage: string): string {
  if (!isUuid(id)) throw notFound(notFoundMessage);
  return id;
}

/**
 * The one ownership lookup: checks the id, reads the row (a DataLoader's `load` or a store read) and
 * applies kit's `requireOwnedRow` (NOT_FOUND for a wrong id or another circle's row, FORBIDDEN for a
 * missing role).
 */
export async function requireOwned<Row extends { circleId: string }>(
  caller: Caller,
  id: string,
  read: (id: string) => Promise<Row | null | undefined>,
  notFoundMessage: string,
  role?: CircleRole,
): Promise<{ row: Row; membership: Membership }> {
  requireId(id, notFoundMessage);
  return requireOwnedRow(caller, await read(id), notFoundMessage, role);
}

/** Where an action's steps run: who asks, the instant of the request (read once), and the transaction. */
export interface ActionStep<Context extends ServiceContext = ServiceContext> {
  context: Context;
  caller: Caller;
  now: Date;
  /** The action's transaction: every store call of the action takes it. */
  tx: EntityManager;
}

/**
 * One use case of a service (one mutation): it authorizes, asks the domain, then calls the store, in
 * that order, inside one transaction, every time.
 *
 * - `authorize` decides who may, by the disclosure model (kit's requireMembership, requireRole,
 *   requireOwned): it may read and lock the rows it needs through the store, and answers what the
 *   later steps need to know (the membership, the rows). It throws UNAUTHENTICATED, FORBIDDEN or
 *   NOT_FOUND.
 * - `decide` is the domain's word: pure, from the input, what authorize found and the instant. It
 *   answers a plan or a `Refusal`, which the client reads as BAD_USER_INPUT (or the code it names).
 * - `apply` writes through the store, in the same transaction, and answers the result.
 */
export interface ActionDefinition<Context extends ServiceContext, Input, Access, Plan, Output> {
  authorize(step: ActionStep<Context>, input: Input): Access | Promise<Access>;
  decide(input: Input, access: Access, now: Date): Verdict<Plan>;
  apply(step: ActionStep<Context>, plan: Plan, access: Access): Promise<Output>;
  /** SERIALIZABLE retries on serialization failures; the default is Postgres' READ COMMITTED with row locks. */
  isolation?: "READ COMMITTED" | "SERIALIZABLE";
  /** The action writes events: consumers are woken once it commits. */
  emitsEvents?: boolean;
}

/** An action as resolvers call it: the request's context and the mapped input, the result. */
export type Action<Context extends ServiceContext, Input, Output> = (context: Context, input: Input) => Promise<Output>;

export function defineAction<Context extends ServiceContext, Input, Access, Plan, Output>(
  definition: ActionDefinition<Context, Input, Access, Plan, Output>,
): Action<Context, Input, Output> {
  return async (context, input) => {
    const now = context.clock();
    const run = async (tx: EntityManager) => {
      const step: ActionStep<Context> = { context, caller: context.caller, now, tx };
      const access = await definition.authorize(step, input);
      const plan = accepted(definition.decide(input, access, now));
      return definition.apply(step, plan, access);
    };
    const output =
      definition.isolation === "SERIALIZABLE"
        ? await inSerializableTransaction(context.db, run)
        : await context.db.transaction(run);
    if (definition.emitsEvents) context.eventsEmitted();
    return output;
  };
}

/** The `decide` of an action whose input needs no rule beyond its validation: the plan is the input. */
export function asGiven<Input>(input: Input): Input {
  return input;
}

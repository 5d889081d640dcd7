import type { EntityManager } from "typeorm";
import { accepted, type Action, type ActionStep, type Caller, type Verdict } from "@rhizome/kit";
import type { BarterContext } from "../context.js";

/** Where an after-locks action's `authorize` runs: no instant yet, it reads the clock itself once it holds its locks. */
export interface LockingStep {
  context: BarterContext;
  caller: Caller;
  tx: EntityManager;
}

/**
 * A decision on an exchange (confirm, decline, cancel), as kit's `defineAction` in every way but
 * one: its instant is read by `authorize`, exactly once, after it holds every lock the decision
 * needs, and `authorize` answers it as `now`. A confirmation that waited on a locked account across
 * a new moon is then judged, labelled and dated by the instant it got the rows, so a proposal whose
 * cycle ended meanwhile is refused as lapsed instead of moving credits into the next cycle; an
 * instant read before the wait (as `defineAction` does) would let it through.
 */
export function defineActionAfterLocks<Input, Access extends { now: Date }, Plan, Output>(definition: {
  authorize(step: LockingStep, input: Input): Promise<Access>;
  decide(input: Input, access: Access): Verdict<Plan>;
  apply(step: ActionStep<BarterContext>, plan: Plan, access: Access): Promise<Output>;
  emitsEvents?: boolean;
}): Action<BarterContext, Input, Output> {
  return async (context, input) => {
    const output = await context.db.transaction(async (tx) => {
      const locking: LockingStep = { context, caller: context.caller, tx };
      const access = await definition.authorize(locking, input);
      const plan = accepted(definition.decide(input, access));
      return definition.apply({ ...locking, now: access.now }, plan, access);
    });
    if (definition.emitsEvents) context.eventsEmitted();
    return output;
  };
}

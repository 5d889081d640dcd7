import type { MiddlewareFn } from "type-graphql";
import type { Caller } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { currentCaller, isCurrentCaller } from "../store/members.js";

const lookups = new WeakMap<object, Promise<Caller>>();

/**
 * Makes `context.caller` the caller as the database knows them now (see currentCaller), once per
 * request however many fields ask. When the request context was built with currentCaller already,
 * this does nothing.
 */
export async function useCurrentCaller(context: NetworkContext): Promise<Caller> {
  if (isCurrentCaller(context.caller)) return context.caller;
  let lookup = lookups.get(context);
  if (!lookup) {
    lookup = currentCaller(context.db, context.caller);
    lookups.set(context, lookup);
  }
  context.caller = await lookup;
  return context.caller;
}

/** Put on every resolver class: no field of network authorizes from a token's memberships. */
export const CurrentCaller: MiddlewareFn<NetworkContext> = async ({ context }, next) => {
  await useCurrentCaller(context);
  return next();
};

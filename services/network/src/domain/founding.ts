/** Who may found circles on this hub: anyone ("open") or only holders of the operator key. */
export type FoundingPolicy = "open" | "operator";

export type CallerKind = "anonymous" | "person" | "apiKey" | "operator";

export type FoundingRefusal = { code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string };

/** Why this caller may not found a circle under the hub's policy, or undefined when they may. */
export function foundingRefusal(policy: FoundingPolicy, callerKind: CallerKind): FoundingRefusal | undefined {
  if (policy === "open" || callerKind === "operator") return undefined;
  return callerKind === "anonymous"
    ? { code: "UNAUTHENTICATED", message: "On this hub only its operators may found circles: send the operator key." }
    : { code: "FORBIDDEN", message: "On this hub only its operators may found circles." };
}

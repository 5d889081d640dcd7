/**
 * What a domain rule answers when it says no, as plain data (domain code knows nothing of GraphQL):
 * the client can act on the message. BAD_USER_INPUT unless it names another code.
 */
export interface Refusal {
  problem: string;
  code?: "BAD_USER_INPUT" | "CONFLICT" | "NOT_FOUND" | "FORBIDDEN";
}

/** A domain rule's answer: the value it allows, or why not. */
export type Verdict<T> = T | Refusal;

export function isRefusal(verdict: unknown): verdict is Refusal {
  return typeof verdict === "object" && verdict !== null && typeof (verdict as Refusal).problem === "string";
}

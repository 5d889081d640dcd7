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

/** Text a member wrote, trimmed and within its limits, or the refusal naming the limit. */
export function boundedText(what: string, raw: string, max: number, min = 1): Verdict<string> {
  const text = raw.trim();
  if (text.length < min) return { problem: `${what} cannot be empty.` };
  if (text.length > max) return { problem: `${what} is at most ${max} characters; this one has ${text.length}.` };
  return text;
}

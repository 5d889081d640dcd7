import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { MAX_BODY_SIZE, MAX_NAME_LENGTH } from "./limits.js";

/** A quorum when the organizer names none, in percent of the seats. */
export const DEFAULT_QUORUM_PERCENT = 50;

export interface BodyShape {
  name: string;
  size: number;
  quorumPercent?: number | null;
}

/** A new body's size, quorum and name within their limits, or the refusal naming the first one broken. */
export function checkedBody(shape: BodyShape): Verdict<{ name: string; size: number; quorumPercent: number }> {
  if (!Number.isInteger(shape.size) || shape.size < 1 || shape.size > MAX_BODY_SIZE)
    return { problem: `A body has 1 to ${MAX_BODY_SIZE} seats; got ${shape.size}.` };
  const quorumPercent = shape.quorumPercent ?? DEFAULT_QUORUM_PERCENT;
  if (!Number.isInteger(quorumPercent) || quorumPercent < 1 || quorumPercent > 100)
    return { problem: `A quorum is 1 to 100 percent; got ${quorumPercent}.` };
  const name = boundedText("A body's name", shape.name, MAX_NAME_LENGTH);
  return isRefusal(name) ? name : { name, size: shape.size, quorumPercent };
}

import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { MAX_MINUTES_LENGTH, MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE, MAX_TITLE_LENGTH } from "./limits.js";

/**
 * An assembly's title within its limit, and for a shadow assembly, the caller's calls of the cycle
 * under MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE (a CONFLICT otherwise). Not by bloc: an assembly that
 * only an edge member could call would show its caller's bloc to whoever saw it appear.
 */
export function assemblyTitle(
  title: string,
  call: { kind: "SHADOW" | "COMMONS"; calledThisCycle: number; cycle: string },
): Verdict<string> {
  const checked = boundedText("An assembly's title", title, MAX_TITLE_LENGTH);
  if (isRefusal(checked)) return checked;
  if (call.kind === "SHADOW" && call.calledThisCycle >= MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE)
    return {
      problem: `A member calls at most ${MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE} shadow assemblies a lunar cycle; you called ${call.calledThisCycle} in the cycle ${call.cycle}.`,
      code: "CONFLICT",
    };
  return checked;
}

/** Minutes within their limit. */
export function checkedMinutes(minutes: string): Verdict<string> {
  return boundedText("Minutes", minutes, MAX_MINUTES_LENGTH);
}

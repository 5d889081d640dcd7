import { serviceTokenSource } from "./internal-auth.js";

/**
 * A member's bloc (EDGE or ADVANTAGED) is self-declared and private: only network holds it. A service
 * that must count it for a rule (governance seats a member; a power map counts by bloc) asks network
 * at that moment, with its service credential, and keeps no more than the rule needs.
 */
export const MEMBER_BLOC_PATH = "/internal/members/bloc";
export const MEMBER_BLOC_TIMEOUT_MS = 2_000;

export type MemberBloc = "EDGE" | "ADVANTAGED";

/**
 * The member's bloc, or undefined when they are not (or no longer) a member of that circle. A member
 * may change their declared bloc; the change holds from the next new moon, so the bloc is the one in
 * force at `at` (network's own clock when not given).
 */
export type MemberBlocLookup = (circleId: string, memberId: string, at?: Date) => Promise<MemberBloc | undefined>;

export interface RemoteMemberBlocOptions {
  /** network's base URL. */
  networkUrl: string;
  tokenSecret: string;
  /** The calling service, the subject of its service token. */
  service: string;
  fetch?: typeof fetch;
}

export function remoteMemberBlocLookup(options: RemoteMemberBlocOptions): MemberBlocLookup {
  const serviceToken = serviceTokenSource(options.tokenSecret, options.service, {
    target: "network",
    route: MEMBER_BLOC_PATH,
  });
  const send = options.fetch ?? fetch;
  return async (circleId, memberId, at) => {
    const response = await send(new URL(MEMBER_BLOC_PATH, options.networkUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await serviceToken()}` },
      body: JSON.stringify({ circleId, memberId, ...(at ? { at: at.toISOString() } : {}) }),
      signal: AbortSignal.timeout(MEMBER_BLOC_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Member bloc lookup failed with HTTP ${response.status}`);
    const { bloc } = (await response.json()) as { bloc: MemberBloc | null };
    return bloc ?? undefined;
  };
}

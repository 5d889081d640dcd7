import { describe, expect, it } from "vitest";
import { foundingRefusal } from "../src/domain/founding.js";
import { lockoutRefusal, MAX_FAILED_LOGINS } from "../src/domain/login-attempts.js";
import { HANDLE_PATTERN, tombstoneHandle } from "../src/domain/names.js";
import { leavingProblem, roleChangeProblem, rolesAfter } from "../src/domain/organizers.js";
import { refreshTokenState } from "../src/domain/sessions.js";

const now = new Date("2031-01-01T00:00:00Z");
const later = new Date("2031-02-01T00:00:00Z");

describe("network's rules", () => {
  it("let anyone found a circle on an open hub, and only the operator on an operated one", () => {
    expect(foundingRefusal("open", "anonymous")).toBeUndefined();
    expect(foundingRefusal("operator", "operator")).toBeUndefined();
    expect(foundingRefusal("operator", "anonymous")?.code).toBe("UNAUTHENTICATED");
    expect(foundingRefusal("operator", "person")?.code).toBe("FORBIDDEN");
    expect(foundingRefusal("operator", "apiKey")?.code).toBe("FORBIDDEN");
  });

  it("keep a circle organized: no role change or departure leaves members without an organizer", () => {
    expect(rolesAfter(["member", "organizer"], { kind: "revoke", role: "organizer" })).toEqual(["member"]);
    expect(rolesAfter(["member"], { kind: "grant", role: "steward" })).toEqual(["member", "steward"]);
    expect(rolesAfter(["member", "steward"], { kind: "grant", role: "steward" })).toEqual(["member", "steward"]);
    expect(roleChangeProblem(["member"], 0)).toMatch(/at least one organizer/);
    expect(roleChangeProblem(["member"], 1)).toBeUndefined();
    expect(roleChangeProblem(["member", "organizer"], 0)).toBeUndefined();
    expect(leavingProblem({ roles: ["member", "organizer"] }, { otherOrganizers: 0, otherMembers: 3 })).toMatch(
      /last organizer/,
    );
    expect(leavingProblem({ roles: ["member", "organizer"] }, { otherOrganizers: 0, otherMembers: 0 })).toBeUndefined();
    expect(leavingProblem({ roles: ["member", "organizer"] }, { otherOrganizers: 1, otherMembers: 3 })).toBeUndefined();
    expect(leavingProblem({ roles: ["member"] }, { otherOrganizers: 0, otherMembers: 3 })).toBeUndefined();
  });

  it("lock a handle out after the fifth failed login", () => {
    expect(lockoutRefusal({ count: MAX_FAILED_LOGINS - 1, retryAfterSeconds: 600 })).toBeUndefined();
    expect(lockoutRefusal({ count: MAX_FAILED_LOGINS, retryAfterSeconds: 600 })).toBe(
      "Too many failed logins for this handle. Try again in 10 minutes.",
    );
  });

  it("let a refresh token work once, until it expires", () => {
    const fresh = { expiresAt: later, replacedAt: null, revokedAt: null };
    expect(refreshTokenState(fresh, now)).toBe("usable");
    expect(refreshTokenState(undefined, now)).toBe("unknown");
    expect(refreshTokenState(fresh, later)).toBe("expired");
    expect(refreshTokenState({ ...fresh, revokedAt: now }, now)).toBe("revoked");
    // Replaced and then revoked with the rest of the family: still recognised as a copy.
    expect(refreshTokenState({ ...fresh, replacedAt: now, revokedAt: now }, now)).toBe("reused");
  });

  it("give members who left a handle nobody can choose", () => {
    const tombstone = tombstoneHandle("0123456789abcdef");
    expect(tombstone).toBe("left-0123456789abcdef");
    expect(HANDLE_PATTERN.test(tombstone)).toBe(false);
    expect(HANDLE_PATTERN.test("LEFT-anything")).toBe(false);
    expect(HANDLE_PATTERN.test("leftie")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { badInput, formatClientError } from "../src/runtime/errors.js";

describe("client errors", () => {
  it("passes a coded error through without its stack", () => {
    const error = badInput("Minutes must be positive.");
    const formatted = formatClientError(
      { message: error.message, extensions: { code: "BAD_USER_INPUT", stacktrace: ["at x"] } },
      error,
    );
    expect(formatted).toEqual({ message: "Minutes must be positive.", extensions: { code: "BAD_USER_INPUT" } });
  });

  it("tells the client to send the same request again when Postgres gave up its transaction for another's", () => {
    for (const code of ["40P01", "40001"]) {
      const driverError = Object.assign(new Error("deadlock detected"), { code });
      const original = new GraphQLError("deadlock detected", {
        originalError: Object.assign(new Error("deadlock detected"), { driverError }),
      });
      const formatted = formatClientError(
        { message: original.message, path: ["publishListing"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
        original,
      );
      expect(formatted).toEqual({
        message: expect.stringMatching(/nothing was saved.*again/),
        path: ["publishListing"],
        extensions: { code: "CONFLICT", retryable: true },
      });
    }
  });

  it("answers SERVICE_UNAVAILABLE, retryable, when Postgres or Redis cannot be reached, without their addresses", () => {
    const outages = [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:54329"), { code: "ECONNREFUSED" }),
      new Error("Connection terminated unexpectedly"),
      Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
      Object.assign(new Error("terminating connection due to administrator command"), {
        driverError: { code: "57P01" },
      }),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      Object.assign(new Error("Reached the max retries per request limit (which is 0)."), {
        name: "MaxRetriesPerRequestError",
      }),
    ];
    for (const cause of outages) {
      const original = new GraphQLError(cause.message, { originalError: cause });
      const formatted = formatClientError(
        { message: original.message, path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
        original,
      );
      expect(formatted, cause.message).toEqual({
        message: expect.stringMatching(/Try again in a few seconds/),
        path: ["me"],
        extensions: { code: "SERVICE_UNAVAILABLE", retryable: true },
      });
      expect(formatted.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
  });

  it("hides an unexpected error's message and stack behind INTERNAL_SERVER_ERROR", () => {
    const original = new GraphQLError('relation "secret_table" does not exist', {
      originalError: new Error('relation "secret_table" does not exist'),
    });
    const formatted = formatClientError(
      { message: original.message, extensions: { code: "INTERNAL_SERVER_ERROR" } },
      original,
    );
    expect(formatted.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(formatted.message).not.toContain("secret_table");
  });

  it("turns input validation failures into one readable BAD_USER_INPUT message without echoing the input", () => {
    const validationErrors = [
      {
        property: "passphrase",
        constraints: { isLength: "must be 12 to 200 characters" },
        target: { passphrase: "hunter2" },
      },
      { property: "slug", constraints: { matches: "slug must be lowercase" } },
    ];
    const original = new GraphQLError("Argument Validation Error", {
      extensions: { code: "BAD_USER_INPUT", validationErrors },
    });
    const formatted = formatClientError({ message: original.message, extensions: original.extensions }, original);
    expect(formatted.message).toBe("Invalid input: passphrase must be 12 to 200 characters; slug must be lowercase");
    expect(JSON.stringify(formatted)).not.toContain("hunter2");
  });
});

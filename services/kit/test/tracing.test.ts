import { describe, expect, it } from "vitest";
import { tracesUrlOf, tracingFor } from "../src/runtime/tracing-settings.js";
import { statementForTrace } from "../src/runtime/tracing.js";

describe("tracing settings", () => {
  it("is off without an OTLP endpoint: no tracer is made", async () => {
    expect(tracesUrlOf({})).toBeUndefined();
    expect(await tracingFor("barter", {})).toBeUndefined();
  });

  it("sends to <endpoint>/v1/traces, or to the traces endpoint when one is given", () => {
    expect(tracesUrlOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toBe(
      "http://collector:4318/v1/traces",
    );
    expect(
      tracesUrlOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://other/traces",
      }),
    ).toBe("http://other/traces");
  });

  it("exports statements without the values written into them", () => {
    expect(
      statementForTrace(`SELECT * FROM "barter"."members" WHERE handle = 'ada''s' AND minutes > 42\n LIMIT $1`),
    ).toBe(`SELECT * FROM "barter"."members" WHERE handle = ? AND minutes > ? LIMIT $1`);
  });
});

import { describe, expect, it } from "vitest";
import { camelName, rowsOfResult, sqlRows, type Queryable } from "../src/data/sql.js";

const answering = (result: unknown): Queryable => ({ query: async <T>() => result as T });

describe("typed SQL rows", () => {
  it("names columns in camelCase, digits included", () => {
    expect(camelName("circle_id")).toBe("circleId");
    expect(camelName("p95_ms")).toBe("p95Ms");
    expect(camelName("title")).toBe("title");
  });

  it("reads rows from a SELECT and from an UPDATE's [rows, count]", async () => {
    const selected = [{ circle_id: "c", sunset_at: new Date(0) }];
    expect(await sqlRows(answering(selected), "SELECT")).toEqual([{ circleId: "c", sunsetAt: new Date(0) }]);
    expect(await sqlRows(answering([[{ member_id: "m" }], 1]), "UPDATE")).toEqual([{ memberId: "m" }]);
    expect(rowsOfResult([[], 0])).toEqual([]);
  });
});

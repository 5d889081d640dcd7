import { describe, expect, it } from "vitest";
import { MAX_NOTE_LENGTH, normaliseNoteText } from "../src/domain/notes.js";

describe("note text", () => {
  it("is trimmed", () => {
    expect(normaliseNoteText("  Bring a ladder on Saturday  ")).toEqual({ text: "Bring a ladder on Saturday" });
  });

  it("refuses an empty or overlong note with a message that says why", () => {
    expect(normaliseNoteText("   ")).toEqual({ problem: "A note cannot be empty." });
    expect(normaliseNoteText("x".repeat(MAX_NOTE_LENGTH))).toEqual({ text: "x".repeat(MAX_NOTE_LENGTH) });
    expect(normaliseNoteText("x".repeat(MAX_NOTE_LENGTH + 1))).toMatchObject({ problem: expect.stringContaining(`${MAX_NOTE_LENGTH} characters`) });
  });
});

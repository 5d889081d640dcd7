import { boundedText, type Verdict } from "@rhizome/kit/rules";

/** The longest case note, in characters. */
export const MAX_CASE_NOTE_LENGTH = 4000;

/** A note's text as stored, trimmed, or why not. */
export const noteText = (raw: string): Verdict<string> => boundedText("A note", raw, MAX_CASE_NOTE_LENGTH);

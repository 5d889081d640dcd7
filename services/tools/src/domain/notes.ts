/** The longest note, in characters; the table checks it again. */
export const MAX_NOTE_LENGTH = 500;

/** A note's text as stored (trimmed), or the problem to tell the member. */
export function normaliseNoteText(raw: string): { text: string } | { problem: string } {
  const text = raw.trim();
  if (text.length === 0) return { problem: "A note cannot be empty." };
  if (text.length > MAX_NOTE_LENGTH) return { problem: `A note is at most ${MAX_NOTE_LENGTH} characters; this one has ${text.length}.` };
  return { text };
}

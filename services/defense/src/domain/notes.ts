/** The longest case note, in characters. */
export const MAX_CASE_NOTE_LENGTH = 4000;

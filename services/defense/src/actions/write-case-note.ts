import { defineAction, isRefusal, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { noteText } from "../domain/notes.js";
import type { CaseKind } from "../store/cases.js";
import { writeCaseNote as insertNote } from "../store/notes.js";
import { requireHandler } from "./access.js";

export interface WriteCaseNoteInput {
  caseKind: CaseKind;
  caseId: string;
  text: string;
}

/** A handler of a case writes a note on it; it is sealed before it is stored. */
export const writeCaseNote = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, input: WriteCaseNoteInput) =>
    requireHandler(context, input.caseKind, input.caseId, tx),
  decide: (input: WriteCaseNoteInput) => {
    const text = noteText(input.text);
    return isRefusal(text) ? text : { ...input, text };
  },
  apply: async ({ tx, now, context }, note, { circleId, memberId }) => ({
    note: await insertNote(tx, context.vault, { ...note, circleId, authorMemberId: memberId }, now),
    text: note.text,
  }),
});

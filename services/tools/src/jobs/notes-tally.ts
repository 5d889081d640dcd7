import type { CycleJob } from "@rhizome/kit";
import { countNotesWritten } from "../store/notes.js";

export interface NotesTally {
  notesWritten: number;
}

/**
 * An example lunar cycle job: once per circle and ended cycle (oldest first after downtime), it
 * counts the cycle's notes. It writes nothing itself; the count is kept as the outcome of the
 * kit's run record, which is also what makes a second run of the same cycle a no-op.
 */
export const notesTallyJob: CycleJob<never, NotesTally> = {
  purpose: "notes-tally",
  async run({ db, circleId, cycle }) {
    return { notesWritten: await countNotesWritten(db, circleId, cycle.startsAt, cycle.endsAt) };
  },
};

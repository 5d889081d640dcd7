import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { badInput, decodeInstantCursor, instantSortKey, PAGE_LIST_SIZE, PageArgs, pageSize, requireMembership, toPage } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { normaliseNoteText } from "../domain/notes.js";
import { addNote, notesOfCircle } from "../store/notes.js";
import { AddSovereigntyNoteInput } from "./inputs.js";
import { toNote } from "./mappers.js";
import { SovereigntyNote, SovereigntyNotePage } from "./types.js";

@Resolver(() => SovereigntyNote)
export class NoteResolver {
  @Directive(PAGE_LIST_SIZE)
  @Query(() => SovereigntyNotePage, { description: "A circle's notes, newest first. Members only." })
  async sovereigntyNotes(@Arg("circleId", () => ID) circleId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() context: SovereigntyContext): Promise<SovereigntyNotePage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await notesOfCircle(context.db, { circleId, after: decodeInstantCursor(page.after), limit: limit + 1 });
    return Object.assign(new SovereigntyNotePage(), toPage(rows, limit, (row) => instantSortKey(row.writtenAt, row.id), toNote));
  }

  @Mutation(() => SovereigntyNote, { description: "Writes a note in your circle. Members only." })
  async addSovereigntyNote(@Arg("input", () => AddSovereigntyNoteInput) input: AddSovereigntyNoteInput, @Ctx() context: SovereigntyContext): Promise<SovereigntyNote> {
    const membership = requireMembership(context.caller, input.circleId);
    const normalised = normaliseNoteText(input.text);
    if ("problem" in normalised) throw badInput(normalised.problem);
    const row = await addNote(context.db, { circleId: input.circleId, memberId: membership.memberId, text: normalised.text }, context.clock());
    return toNote(row);
  }
}

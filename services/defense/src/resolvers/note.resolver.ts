import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { badInput, decodeInstantCursor, instantSortKey, PAGE_LIST_SIZE, PageArgs, pageSize, requireMembership, toPage } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { normaliseNoteText } from "../domain/notes.js";
import { addNote, notesOfCircle } from "../store/notes.js";
import { AddDefenseNoteInput } from "./inputs.js";
import { toNote } from "./mappers.js";
import { DefenseNote, DefenseNotePage } from "./types.js";

@Resolver(() => DefenseNote)
export class NoteResolver {
  @Directive(PAGE_LIST_SIZE)
  @Query(() => DefenseNotePage, { description: "A circle's notes, newest first. Members only." })
  async defenseNotes(@Arg("circleId", () => ID) circleId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() context: DefenseContext): Promise<DefenseNotePage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await notesOfCircle(context.db, { circleId, after: decodeInstantCursor(page.after), limit: limit + 1 });
    return Object.assign(new DefenseNotePage(), toPage(rows, limit, (row) => instantSortKey(row.writtenAt, row.id), toNote));
  }

  @Mutation(() => DefenseNote, { description: "Writes a note in your circle. Members only." })
  async addDefenseNote(@Arg("input", () => AddDefenseNoteInput) input: AddDefenseNoteInput, @Ctx() context: DefenseContext): Promise<DefenseNote> {
    const membership = requireMembership(context.caller, input.circleId);
    const normalised = normaliseNoteText(input.text);
    if ("problem" in normalised) throw badInput(normalised.problem);
    const row = await addNote(context.db, { circleId: input.circleId, memberId: membership.memberId, text: normalised.text }, context.clock());
    return toNote(row);
  }
}

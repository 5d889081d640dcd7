import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { badInput, decodeInstantCursor, instantSortKey, PAGE_LIST_SIZE, PageArgs, pageSize, requireMembership, toPage } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { normaliseNoteText } from "../domain/notes.js";
import { addNote, notesOfCircle } from "../store/notes.js";
import { AddGovernanceNoteInput } from "./inputs.js";
import { toNote } from "./mappers.js";
import { GovernanceNote, GovernanceNotePage } from "./types.js";

@Resolver(() => GovernanceNote)
export class NoteResolver {
  @Directive(PAGE_LIST_SIZE)
  @Query(() => GovernanceNotePage, { description: "A circle's notes, newest first. Members only." })
  async governanceNotes(@Arg("circleId", () => ID) circleId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() context: GovernanceContext): Promise<GovernanceNotePage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await notesOfCircle(context.db, { circleId, after: decodeInstantCursor(page.after), limit: limit + 1 });
    return Object.assign(new GovernanceNotePage(), toPage(rows, limit, (row) => instantSortKey(row.writtenAt, row.id), toNote));
  }

  @Mutation(() => GovernanceNote, { description: "Writes a note in your circle. Members only." })
  async addGovernanceNote(@Arg("input", () => AddGovernanceNoteInput) input: AddGovernanceNoteInput, @Ctx() context: GovernanceContext): Promise<GovernanceNote> {
    const membership = requireMembership(context.caller, input.circleId);
    const normalised = normaliseNoteText(input.text);
    if ("problem" in normalised) throw badInput(normalised.problem);
    const row = await addNote(context.db, { circleId: input.circleId, memberId: membership.memberId, text: normalised.text }, context.clock());
    return toNote(row);
  }
}

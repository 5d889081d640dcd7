import {
  Arg,
  Args,
  Ctx,
  Directive,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  pageSize,
  toPage,
  Disclose,
  discloseAs,
} from "@rhizome/kit";
import { requireHandler } from "../actions/access.js";
import { writeCaseNote } from "../actions/write-case-note.js";
import type { DefenseContext } from "../context.js";
import { MAX_CASE_NOTE_LENGTH } from "../domain/notes.js";
import { caseKinds, type CaseKind } from "../store/cases.js";
import { notesOfCase, type CaseNoteRow } from "../store/notes.js";
import { memberRef } from "./mappers.js";
import { DefenseMember } from "./types.js";

const CaseKindEnum = Object.fromEntries(caseKinds.map((k) => [k, k])) as { [K in CaseKind]: K };
registerEnumType(CaseKindEnum, { name: "DefenseCaseKind", description: "What a case note is about." });

@Disclose("handlers")
@ObjectType({ description: "A note on a case, stored encrypted; only the case's handlers read it." })
export class CaseNote {
  @Field(() => ID) id!: string;
  @Field(() => CaseKindEnum) caseKind!: string;
  @Field(() => ID) caseId!: string;
  @Field(() => DefenseMember, {
    nullable: true,
    description: "Who wrote it; null on alert cases, where an author could name whoever raised the alert.",
  })
  writtenBy!: DefenseMember | null;
  @Field(() => String) text!: string;
  @Field(() => Date) writtenAt!: Date;
}

@Disclose("public")
@ObjectType()
export class CaseNotePage extends PageOf(CaseNote) {}

@InputType()
export class WriteCaseNoteInput {
  @Field(() => CaseKindEnum) caseKind!: string;
  @Field(() => ID) caseId!: string;
  @Field(() => String, { description: `1 to ${MAX_CASE_NOTE_LENGTH} characters.` }) text!: string;
}

@Resolver(() => CaseNote)
export class CaseNoteResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("handlers")
  @Query(() => CaseNotePage, { description: "A case's notes, newest first. The case's handlers only." })
  async caseNotes(
    @Arg("caseKind", () => CaseKindEnum) caseKind: CaseKind,
    @Arg("caseId", () => ID) caseId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<CaseNotePage> {
    const { circleId, memberId } = await requireHandler(context, caseKind, caseId);
    const limit = pageSize(page.first);
    const rows = await notesOfCase(context.db, caseId, decodeInstantCursor(page.after), limit + 1);
    const texts = new Map(
      await Promise.all(
        rows.map(
          async (row) =>
            [row.id, await context.vault.open(context.db, circleId, "case-note", row.id, row.textSealed)] as const,
        ),
      ),
    );
    const notePage = Object.assign(
      new CaseNotePage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.writtenAt, row.id),
        (row) => toCaseNote(row, texts.get(row.id)!),
      ),
    );
    return discloseAs(notePage, { circleId, handlerMemberIds: [memberId] });
  }

  @Disclose("handlers")
  @Mutation(() => CaseNote, { description: "Writes a note on a case you handle; it is stored encrypted." })
  async writeCaseNote(
    @Arg("input", () => WriteCaseNoteInput) input: WriteCaseNoteInput,
    @Ctx() context: DefenseContext,
  ): Promise<CaseNote> {
    const { note, text } = await writeCaseNote(context, { ...input, caseKind: input.caseKind as CaseKind });
    return toCaseNote(note, text);
  }
}

function toCaseNote(row: CaseNoteRow, text: string): CaseNote {
  return Object.assign(new CaseNote(), {
    id: row.id,
    caseKind: row.caseKind,
    caseId: row.caseId,
    writtenBy: row.authorMemberId ? memberRef(row.authorMemberId) : null,
    text,
    writtenAt: row.writtenAt,
  });
}

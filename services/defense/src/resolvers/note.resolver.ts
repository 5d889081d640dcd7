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
  badInput,
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  isUuid,
  notFound,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  pageSize,
  requireOwnedRow,
  requirePerson,
  toPage,
  Disclose,
  discloseAs,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { MAX_CASE_NOTE_LENGTH } from "../domain/notes.js";
import { boundedText } from "../domain/places.js";
import { caseCircle, caseKinds, isHandler, type CaseKind } from "../store/cases.js";
import { notesOfCase, writeCaseNote, type CaseNoteRow } from "../store/notes.js";
import { isRaiserOf } from "./access.js";
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

const NO_CASE = "No case with that id in your circles.";

/**
 * The case's circle and the caller's member id there, if they handle it: NOT_FOUND across circles,
 * FORBIDDEN for members who do not handle it. Handlers are granted by the people concerned (called
 * responders, accepted mediators, companions the person facing a hearing chose); the raiser of an
 * alert is recognised by the alert's tag, since no row names them.
 */
async function requireHandler(context: DefenseContext, caseKind: CaseKind, caseId: string) {
  requirePerson(context.caller);
  const circleId = isUuid(caseId) ? await caseCircle(context.db, caseKind, caseId) : undefined;
  const { membership } = requireOwnedRow(context.caller, circleId ? { circleId } : undefined, NO_CASE);
  const isRaiser = async () => {
    const alert = await context.alerts.load(caseId);
    return alert !== undefined && (await isRaiserOf(context, alert, membership.memberId));
  };
  if (!(await isHandler(context.db, caseId, membership.memberId)) && !(caseKind === "ALERT" && (await isRaiser()))) {
    throw forbidden("Only the people handling this case read and write its notes.");
  }
  return { circleId: circleId!, memberId: membership.memberId };
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
    if (!isUuid(input.caseId)) throw notFound(NO_CASE);
    const text = boundedText(input.text, "A note", MAX_CASE_NOTE_LENGTH);
    if ("problem" in text) throw badInput(text.problem);
    const { circleId, memberId } = await requireHandler(context, input.caseKind as CaseKind, input.caseId);
    const row = await context.db.transaction((manager) =>
      writeCaseNote(
        manager,
        context.vault,
        {
          circleId,
          caseKind: input.caseKind as CaseKind,
          caseId: input.caseId,
          authorMemberId: memberId,
          text: text.text,
        },
        context.clock(),
      ),
    );
    return toCaseNote(row, text.text);
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

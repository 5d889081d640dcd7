import { Field, ID, InputType } from "type-graphql";
import { MAX_NOTE_LENGTH } from "../domain/notes.js";

@InputType()
export class AddDefenseNoteInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: `1 to ${MAX_NOTE_LENGTH} characters.` }) text!: string;
}

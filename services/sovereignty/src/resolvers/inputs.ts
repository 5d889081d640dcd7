import { Field, ID, InputType, Int } from "type-graphql";
import { MAX_HAND_RECORDED_COUNT, MAX_IDEMPOTENCY_KEY_LENGTH } from "../domain/recording.js";
import { MAX_HOUR_VALUE_MINOR, MAX_LOAN_VALUE_MINOR } from "../domain/money.js";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { SovereigntyEventKindEnum } from "./enums.js";

@InputType()
export class RecordSovereigntyEventInput {
  @Field(() => ID) circleId!: string;
  @Field(() => SovereigntyEventKindEnum, {
    description: "MEAL_SHARED, POLICE_CALL_AVOIDED or SABBATH_NEED_MET; the others come from the services.",
  })
  kind!: SovereigntyEventKind;
  @Field(() => Int, { description: `1 to ${MAX_HAND_RECORDED_COUNT}.` }) count!: number;
  @Field(() => String, {
    nullable: true,
    description:
      "The cycle it happened in (its label); default the current one. Up to 3 cycles back. It counts there while that cycle's figures are unpublished, otherwise in the first cycle not yet published (published figures never change); the returned event's `cycle` says which.",
  })
  cycle?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: `Any string you choose, 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (a UUID does): sending the same record again (a retry) records it once.`,
  })
  idempotencyKey?: string | null;
}

@InputType({
  description:
    "A handle, a street, a shop: anything in the story that could point at someone, and what to say instead.",
})
export class StoryReplacementInput {
  @Field(() => String) text!: string;
  @Field(() => String, {
    nullable: true,
    description: 'What to say instead, e.g. "a neighbour"; empty: the text is removed.',
  })
  replaceWith?: string | null;
}

@InputType()
export class SubmitStoryInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: "Up to 120 characters." }) title!: string;
  @Field(() => String, { description: "Up to 4000 characters." }) body!: string;
  @Field(() => [StoryReplacementInput], {
    description: "Applied before the story is stored: the words replaced are never kept. Up to 50.",
  })
  replacements!: StoryReplacementInput[];
  @Field(() => Boolean, {
    description: "Whether you consent to publication once a steward approves. You may change it at any time.",
  })
  consentsToPublication!: boolean;
}

@InputType()
export class PostNeedInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: 'A category, e.g. "childcare" (normalised to lower case and dashes).' })
  category!: string;
  @Field(() => String, { description: "What is needed, naming no one; up to 120 characters." }) title!: string;
  @Field(() => Int, { description: "How many people wait for it; shown only from 5." }) peopleWaiting!: number;
}

@InputType({ description: "What an hour given and a tool lent would have cost your circle's members in money." })
export class SetSovereigntyRatesInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: 'ISO 4217 code in capitals, e.g. "EUR".' }) currency!: string;
  @Field(() => Int, {
    description: `One hour, in minor units (cents for EUR), 0 to ${MAX_HOUR_VALUE_MINOR}.`,
  })
  hourValueMinor!: number;
  @Field(() => Int, {
    description: `One loan of a tool, in minor units, 0 to ${MAX_LOAN_VALUE_MINOR}.`,
  })
  loanValueMinor!: number;
}

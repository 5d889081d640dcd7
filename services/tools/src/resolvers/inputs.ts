import { Field, ID, InputType, Int } from "type-graphql";
import {
  MAX_CATEGORY_LENGTH,
  MAX_GEOHASH_LENGTH,
  MAX_TOOL_NAME_LENGTH,
  MAX_TOOL_TEXT_LENGTH,
  type ToolCondition,
} from "../domain/catalogue.js";
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_MAINTENANCE_NOTES_LENGTH,
  MAX_PARTS_LENGTH,
  MAX_REPAIR_MINUTES,
} from "../domain/audits.js";
import {
  MAX_LOAN_DAYS,
  MAX_OPEN_RESERVATIONS_LIMIT,
  MAX_REMINDER_INTERVAL_HOURS,
  MIN_LOAN_DAYS,
  MIN_REMINDER_INTERVAL_HOURS,
} from "../domain/loans.js";
import {
  MAX_TUTORIAL_CATEGORIES,
  MAX_TUTORIAL_MARKDOWN_LENGTH,
  MAX_TUTORIAL_STEPS,
  MAX_TUTORIAL_TITLE_LENGTH,
} from "../domain/tutorials.js";
import { ToolConditionEnum } from "./types.js";

const CELL = `A geohash of at most ${MAX_GEOHASH_LENGTH} characters (block level); finer is refused.`;

@InputType()
export class AddToolInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: `1 to ${MAX_TOOL_NAME_LENGTH} characters.` }) name!: string;
  @Field(() => String, { description: `Up to ${MAX_CATEGORY_LENGTH} characters, e.g. "garden".` }) category!: string;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_TOOL_TEXT_LENGTH} characters.` }) description?:
    string | null;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_TOOL_TEXT_LENGTH} characters.` }) safetyNotes?:
    string | null;
  @Field(() => ToolConditionEnum, { nullable: true, description: "Default GOOD." }) condition?: ToolCondition | null;
  @Field(() => String, { nullable: true, description: CELL }) locationCell?: string | null;
}

@InputType({ description: "Only the fields given change. Host or organizer." })
export class UpdateToolInput {
  @Field(() => ID) toolId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) safetyNotes?: string | null;
  @Field(() => ToolConditionEnum, { nullable: true }) condition?: ToolCondition | null;
  @Field(() => String, { nullable: true, description: CELL }) locationCell?: string | null;
  @Field(() => Boolean, { nullable: true, description: "True removes the shared place." }) clearLocation?:
    boolean | null;
}

@InputType()
export class ToolSearchInput {
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => String, { nullable: true, description: "Words the name, category or description contain." }) words?:
    string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "true: only tools that can be borrowed at once; false: only those that cannot.",
  })
  isAvailable?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "Include retired tools; default false." }) includeRetired?:
    boolean | null;
}

@InputType()
export class AuditInput {
  @Field(() => ID) toolId!: string;
  @Field(() => ToolConditionEnum) condition!: ToolCondition;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_MAINTENANCE_NOTES_LENGTH} characters.` }) notes?:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: `Up to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters. Sending the same audit again with the same key (a phone's outbox after a lost answer) returns the record the first attempt made and records nothing more.`,
  })
  idempotencyKey?: string | null;
}

@InputType()
export class RepairInput {
  @Field(() => ID) toolId!: string;
  @Field(() => Int, { description: `Minutes of work, 1 to ${MAX_REPAIR_MINUTES}.` }) minutes!: number;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_PARTS_LENGTH} characters.` }) parts?: string | null;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_MAINTENANCE_NOTES_LENGTH} characters.` }) notes?:
    string | null;
  @Field(() => ID, { nullable: true, description: "The barter exchange that paid the repair in hours, if any." })
  exchangeId?: string | null;
  @Field(() => ToolConditionEnum, { nullable: true, description: "NEW, GOOD or WORN; default GOOD." })
  conditionAfter?: ToolCondition | null;
  @Field(() => String, {
    nullable: true,
    description: `Up to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters. Sending the same repair again with the same key (a phone's outbox after a lost answer) returns the record the first attempt made and records nothing more.`,
  })
  idempotencyKey?: string | null;
}

@InputType()
export class PublishTutorialInput {
  @Field(() => ID, { description: "The circle publishing it." }) circleId!: string;
  @Field(() => String, { description: `1 to ${MAX_TUTORIAL_TITLE_LENGTH} characters.` }) title!: string;
  @Field(() => String, {
    description: `Markdown, up to ${MAX_TUTORIAL_MARKDOWN_LENGTH} characters; raw HTML is shown as text.`,
  })
  markdown!: string;
  @Field(() => [String], { description: `1 to ${MAX_TUTORIAL_CATEGORIES} tool categories.` }) categories!: string[];
  @Field(() => [String], { nullable: true, description: `Up to ${MAX_TUTORIAL_STEPS} steps, each markdown.` }) steps?:
    string[] | null;
}

@InputType({ description: "Organizers only." })
export class ToolLibrarySettingsInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Int, { nullable: true, description: `1 to ${MAX_OPEN_RESERVATIONS_LIMIT}.` }) maxOpenReservations?:
    number | null;
  @Field(() => Int, {
    nullable: true,
    description: `${MIN_REMINDER_INTERVAL_HOURS} to ${MAX_REMINDER_INTERVAL_HOURS}.`,
  })
  reminderIntervalHours?: number | null;
}

@InputType({ description: "Organizers only." })
export class LoanPeriodInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String) category!: string;
  @Field(() => Int, { description: `${MIN_LOAN_DAYS} to ${MAX_LOAN_DAYS}.` }) loanDays!: number;
}

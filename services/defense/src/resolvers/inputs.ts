import { Field, ID, InputType, Int } from "type-graphql";
import { MAX_ALERT_TEXT_LENGTH } from "../domain/alerts.js";
import { AlertKindEnum, AlertUrgencyEnum, ContactKindEnum } from "./types.js";

@InputType()
export class ResponderShiftInput {
  @Field(() => Int) weekday!: number;
  @Field(() => Int) startMinute!: number;
  @Field(() => Int) endMinute!: number;
}

@InputType()
export class CreateResponderBranchInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: "1 to 40 characters, unique in the circle." }) name!: string;
  @Field(() => ID, { nullable: true }) parentBranchId?: string | null;
}

@InputType()
export class JoinRespondersInput {
  @Field(() => ID) circleId!: string;
  @Field(() => ID) branchId!: string;
  @Field(() => ContactKindEnum) contactKind!: string;
  @Field(() => String, {
    nullable: true,
    description: "Phone number, Signal name or e-mail; stored encrypted. Omit for INBOX.",
  })
  contact?: string | null;
  @Field(() => [ResponderShiftInput], { defaultValue: [] }) shifts!: ResponderShiftInput[];
}

@InputType()
export class RaiseAlertInput {
  @Field(() => ID) circleId!: string;
  @Field(() => AlertKindEnum) kind!: string;
  @Field(() => String, { description: "Block-level place: a geohash of at most 6 characters." }) place!: string;
  @Field(() => AlertUrgencyEnum) urgency!: string;
  @Field(() => String, { description: `1 to ${MAX_ALERT_TEXT_LENGTH} characters; stored encrypted.` }) text!: string;
}

@InputType()
export class SetDefenseWebhookInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String) url!: string;
}

@InputType()
export class ConfigureDefenseInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Int, { nullable: true, description: "Trusted verifications that broadcast an alert, 1 to 10." })
  verificationsNeeded?: number;
  @Field(() => Int, { nullable: true, description: "Minutes before an unanswered call escalates, 1 to 120." })
  callTimeoutMinutes?: number;
  @Field(() => Int, { nullable: true, description: "Stewards' approvals a disbursement needs, 1 to 10." })
  fundApprovalsNeeded?: number;
}

import { Field, ID, InputType, Int } from "type-graphql";
import { MAX_WITNESS_SEED_LENGTH, MIN_WITNESS_SEED_LENGTH } from "@rhizome/kit";
import {
  AssemblyKind,
  BodyKind,
  DecisionRule,
  PowerFlow,
  PowerNodeKind,
  ReflectionKind,
  ResponseKind,
  RolePower,
} from "./enums.js";
import {
  MAX_AGENDA_ITEM_LENGTH,
  MAX_BODY_SIZE,
  MAX_COMPOST_REASONS_LENGTH,
  MAX_HYPOTHESIS_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_MINUTES_LENGTH,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
  MAX_REFLECTION_LENGTH,
  MAX_ROLE_HOLDERS,
  MAX_ROLE_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
} from "../domain/limits.js";

@InputType()
export class CreateBodyInput {
  @Field(() => ID) circleId!: string;
  @Field(() => String, { description: `1 to ${MAX_NAME_LENGTH} characters, unique in the circle.` }) name!: string;
  @Field(() => BodyKind) kind!: BodyKind;
  @Field(() => DecisionRule) decisionRule!: DecisionRule;
  @Field(() => Int, { description: `1 to ${MAX_BODY_SIZE} seats.` }) size!: number;
  @Field(() => Int, {
    nullable: true,
    description: "For MAJORITY: percent of seated members who must answer; default 50.",
  })
  quorumPercent?: number;
}

@InputType()
export class AmendmentInput {
  @Field(() => ID, { nullable: true, description: "The article to change; omit for a new article." })
  articleId?: string;
  @Field(() => String, { description: `1 to ${MAX_TITLE_LENGTH} characters.` }) title!: string;
  @Field(() => String, { description: `1 to ${MAX_TEXT_LENGTH} characters.` }) text!: string;
}

@InputType()
export class CreateProposalInput {
  @Field(() => ID) bodyId!: string;
  @Field(() => String, { description: `1 to ${MAX_TITLE_LENGTH} characters.` }) title!: string;
  @Field(() => String, { description: `1 to ${MAX_TEXT_LENGTH} characters.` }) text!: string;
  @Field(() => Date, { description: "When voting closes and the outcome is computed." }) closesAt!: Date;
  @Field(() => AmendmentInput, { nullable: true, description: "Makes the proposal an amendment of the constitution." })
  amendment?: AmendmentInput;
}

@InputType()
export class RespondInput {
  @Field(() => ID) proposalId!: string;
  @Field(() => ResponseKind) response!: ResponseKind;
  @Field(() => String, {
    nullable: true,
    description: `Required with OBJECT and VETO; at most ${MAX_REASON_LENGTH} characters.`,
  })
  reason?: string;
}

@InputType()
export class CreateRoleInput {
  @Field(() => ID) bodyId!: string;
  @Field(() => String, { description: `1 to ${MAX_ROLE_NAME_LENGTH} characters, unique in the body.` }) name!: string;
  @Field(() => [RolePower]) powers!: RolePower[];
  @Field(() => Int, { description: `1 to ${MAX_ROLE_HOLDERS}.` }) holderCount!: number;
  @Field(() => Boolean, {
    defaultValue: false,
    description:
      "Must be false: a public draw that passed over members for their seat kind would publish who was passed over. Holders are drawn from all the members seated in the body.",
  })
  hasBlocQuota!: boolean;
}

@InputType()
export class CommitRoleDrawSeedInput {
  @Field(() => ID) roleId!: string;
  @Field(() => String, {
    description: `Your seed, ${MIN_WITNESS_SEED_LENGTH} to ${MAX_WITNESS_SEED_LENGTH} characters, e.g. 32 random hex digits made by the app. Keep it: you may reveal it after the new moon.`,
  })
  seed!: string;
}

@InputType()
export class RevealDrawSeedInput {
  @Field(() => ID) drawId!: string;
  @Field(() => String) seed!: string;
}

@InputType()
export class CompostRoleInput {
  @Field(() => ID) roleId!: string;
  @Field(() => String, {
    description: `Why the role is dissolved, 1 to ${MAX_COMPOST_REASONS_LENGTH} characters; kept in the archive.`,
  })
  reasons!: string;
}

@InputType()
export class AdoptPactInput {
  @Field(() => ID, { description: "A passed proposal." }) proposalId!: string;
  @Field(() => Date) sunsetAt!: Date;
}

@InputType()
export class ReratifyPactInput {
  @Field(() => ID) pactId!: string;
  @Field(() => ID, { description: "A new passed proposal of the same body." }) proposalId!: string;
  @Field(() => Date) sunsetAt!: Date;
}

@InputType()
export class CreateAssemblyInput {
  @Field(() => ID) circleId!: string;
  @Field(() => AssemblyKind) kind!: AssemblyKind;
  @Field(() => String, { description: `1 to ${MAX_TITLE_LENGTH} characters.` }) title!: string;
  @Field(() => Date, { nullable: true }) meetsAt?: Date;
}

@InputType()
export class AddAgendaItemInput {
  @Field(() => ID) assemblyId!: string;
  @Field(() => String, { description: `1 to ${MAX_AGENDA_ITEM_LENGTH} characters.` }) text!: string;
}

@InputType()
export class AddReflectionInput {
  @Field(() => ID) assemblyId!: string;
  @Field(() => ReflectionKind) kind!: ReflectionKind;
  @Field(() => String, { description: `1 to ${MAX_REFLECTION_LENGTH} characters.` }) text!: string;
  @Field(() => Boolean, { defaultValue: false, description: "Whether the narrative hub may quote it." })
  mayQuote!: boolean;
}

@InputType()
export class RecordMinutesInput {
  @Field(() => ID) assemblyId!: string;
  @Field(() => String, { description: `1 to ${MAX_MINUTES_LENGTH} characters.` }) minutes!: string;
}

@InputType()
export class AddPowerNodeInput {
  @Field(() => ID) circleId!: string;
  @Field(() => PowerNodeKind) kind!: PowerNodeKind;
  @Field(() => String, {
    description: `A role or institution ("the landlord of the towers"), never a private person's name; 1 to ${MAX_LABEL_LENGTH} characters.`,
  })
  label!: string;
  @Field(() => [PowerFlow]) flows!: PowerFlow[];
}

@InputType()
export class StartExperimentInput {
  @Field(() => ID) nodeId!: string;
  @Field(() => String, { description: `1 to ${MAX_HYPOTHESIS_LENGTH} characters.` }) hypothesis!: string;
}

@InputType()
export class RecordReplacedCommandInput {
  @Field(() => ID) experimentId!: string;
  @Field(() => String, { description: `What was agreed instead of commanded, 1 to ${MAX_REASON_LENGTH} characters.` })
  description!: string;
}

@InputType()
export class PublishPlaybookInput {
  @Field(() => ID) experimentId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) steps!: string;
}

@InputType()
export class CopyPlaybookInput {
  @Field(() => ID) playbookId!: string;
  @Field(() => ID, { description: "A node of your own circle's power map." }) nodeId!: string;
}

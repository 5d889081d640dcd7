import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { IsIn, IsUUID, Length, Matches, Max, Min, ArrayMaxSize, ArrayMinSize } from "class-validator";
import {
  HANDLE_PATTERN,
  MAX_CIRCLE_NAME_LENGTH,
  MAX_PASSPHRASE_LENGTH,
  MIN_CIRCLE_NAME_LENGTH,
  MIN_PASSPHRASE_LENGTH,
  SLUG_PATTERN,
} from "../domain/names.js";
import { MAX_INVITATION_HOURS, MAX_INVITATION_USES } from "../domain/invitations.js";
import { ApiScope, BlocEnum, Role } from "./types.js";
import type { Bloc } from "../domain/bloc.js";

const handleRule = Matches(HANDLE_PATTERN, {
  message: "must be 2-32 letters, digits, '.', '_' or '-', not starting with 'left-' (a pseudonym, never a legal name)",
});
const passphraseRule = Length(MIN_PASSPHRASE_LENGTH, MAX_PASSPHRASE_LENGTH, {
  message: `must be ${MIN_PASSPHRASE_LENGTH} to ${MAX_PASSPHRASE_LENGTH} characters`,
});

@InputType()
export class CreateCircleInput {
  @Field(() => String) @Length(MIN_CIRCLE_NAME_LENGTH, MAX_CIRCLE_NAME_LENGTH) name!: string;
  @Field(() => String, { description: "Lowercase letters, digits and dashes, e.g. `riverside`." })
  @Matches(SLUG_PATTERN, {
    message: "must be 1-40 lowercase letters, digits or dashes, not starting or ending with a dash",
  })
  slug!: string;
  @Field(() => String) @handleRule founderHandle!: string;
  @Field(() => String) @passphraseRule passphrase!: string;
  @Field(() => BlocEnum, { defaultValue: "EDGE" }) @IsIn(["EDGE", "ADVANTAGED"]) founderBloc!: Bloc;
}

@InputType()
export class JoinCircleInput {
  @Field(() => String) @Length(8, 200) code!: string;
  @Field(() => String) @handleRule handle!: string;
  @Field(() => String) @passphraseRule passphrase!: string;
  @Field(() => BlocEnum) @IsIn(["EDGE", "ADVANTAGED"]) bloc!: Bloc;
}

@InputType()
export class ChangeMyBlocInput {
  @Field(() => ID) @IsUUID() circleId!: string;
  @Field(() => BlocEnum) @IsIn(["EDGE", "ADVANTAGED"]) bloc!: Bloc;
}

@InputType()
export class LoginInput {
  @Field(() => String) @Length(1, 40) circleSlug!: string;
  @Field(() => String) @Length(1, 64) handle!: string;
  @Field(() => String) @Length(1, MAX_PASSPHRASE_LENGTH) passphrase!: string;
}

@InputType()
export class CreateInvitationInput {
  @Field(() => ID) @IsUUID("all", { message: "circleId must be a circle's id" }) circleId!: string;
  @Field(() => Int, { defaultValue: 1 }) @Min(1) @Max(MAX_INVITATION_USES) maxUses!: number;
  @Field(() => Int, { defaultValue: 72 }) @Min(1) @Max(MAX_INVITATION_HOURS) expiresInHours!: number;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID) @IsUUID("all", { message: "circleId must be a circle's id" }) circleId!: string;
  @Field(() => String) @Length(1, 80) name!: string;
  @Field(() => [ApiScope], { defaultValue: [ApiScope.PUBLIC_READ] })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  scopes!: ApiScope[];
}

@InputType()
export class RoleChangeInput {
  @Field(() => ID) @IsUUID("all", { message: "memberId must be a member's id" }) memberId!: string;
  @Field(() => Role)
  @IsIn([Role.STEWARD, Role.ORGANIZER], { message: "only steward and organizer can be given or taken" })
  role!: Role;
}

/** Refresh tokens are `rhr_` and 43 characters; anything much longer is refused before any work. */
const MAX_REFRESH_TOKEN_LENGTH = 100;

@ArgsType()
export class RefreshTokenArgs {
  @Field(() => String)
  @Length(1, MAX_REFRESH_TOKEN_LENGTH, { message: "refreshToken must be a refresh token this hub gave out" })
  refreshToken!: string;
}

@ArgsType()
export class CircleIdArgs {
  @Field(() => ID) @IsUUID("all", { message: "circleId must be a circle's id" }) circleId!: string;
}

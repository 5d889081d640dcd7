import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { blocs, type Bloc } from "../domain/bloc.js";

export const BlocEnum = Object.fromEntries(blocs.map((b) => [b, b])) as { [K in Bloc]: K };
registerEnumType(BlocEnum, {
  name: "Bloc",
  description: "Self-declared bloc, visible only to the member: EDGE (facing the sharpest coercion) or ADVANTAGED.",
});

export enum Role {
  MEMBER = "member",
  STEWARD = "steward",
  ORGANIZER = "organizer",
}
registerEnumType(Role, { name: "Role", description: "A member's role in one circle." });

export enum ApiScope {
  PUBLIC_READ = "public:read",
}
registerEnumType(ApiScope, { name: "ApiScope", description: "What an API key may do. PUBLIC_READ reads published, anonymized figures only." });

@Directive('@key(fields: "id")')
@ObjectType({ description: "A neighbourhood circle. Public fields are readable by anyone; the rest by its members." })
export class Circle {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: "Members per bloc. A count below 5 is suppressed (null) so nobody can be singled out." })
export class BlocCounts {
  @Field(() => Int, { nullable: true }) edge!: number | null;
  @Field(() => Int, { nullable: true }) advantaged!: number | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A pseudonymous member of one circle. Visible only to members of the same circle." })
export class Member {
  @Field(() => ID) id!: string;
  @Field(() => String) handle!: string;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => Date) joinedAt!: Date;
  circleId!: string;
  personId!: string;
}

@ObjectType({ description: "The person behind the token and their memberships." })
export class Me {
  @Field(() => ID) personId!: string;
  @Field(() => [Member]) memberships!: Member[];
}

@ObjectType()
export class Session {
  @Field(() => String, { description: "Bearer token: send as `Authorization: Bearer <token>`." }) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Member) member!: Member;
}

@ObjectType()
export class CircleFounded {
  @Field(() => Circle) circle!: Circle;
  @Field(() => Member) member!: Member;
  @Field(() => String) token!: string;
  @Field(() => Date) expiresAt!: Date;
}

@ObjectType({ description: "An invitation code's record. The code itself is shown only once, when created." })
export class Invitation {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The last characters of the code, to tell invitations apart." }) codeHint!: string;
  @Field(() => Int) maxUses!: number;
  @Field(() => Int) uses!: number;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class InvitationCreated {
  @Field(() => Invitation) invitation!: Invitation;
  @Field(() => String, { description: "The code to give to the invitee. It is not stored and cannot be shown again." }) code!: string;
}

@ObjectType({ description: "An API key for a third-party client. Only its hash is stored." })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The first characters of the key, to recognise it." }) prefix!: string;
  @Field(() => [ApiScope]) scopes!: ApiScope[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class ApiKeyCreated {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: "Send as the `x-api-key` header. Shown only once." }) key!: string;
}

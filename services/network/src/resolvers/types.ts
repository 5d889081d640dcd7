import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
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
registerEnumType(ApiScope, {
  name: "ApiScope",
  description: "What an API key may do. PUBLIC_READ reads published, anonymized figures only.",
});

@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType({ description: "A neighbourhood circle. Public fields are readable by anyone; the rest by its members." })
export class Circle {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => Date) createdAt!: Date;
}

@Disclose("public")
@ObjectType({
  description:
    "Members per bloc, shown whole or not at all: when either count is below 5 both are null, so a total gives neither back.",
})
export class BlocCounts {
  @Field(() => Int, { nullable: true }) edge!: number | null;
  @Field(() => Int, { nullable: true }) advantaged!: number | null;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({ description: "A pseudonymous member of one circle. Visible only to members of the same circle." })
export class Member {
  @Field(() => ID) id!: string;
  @Field(() => String) handle!: string;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => Date) joinedAt!: Date;
  circleId!: string;
  /** Null for a member who left. */
  personId!: string | null;
}

/** Keyed by the sister exchange's id: barter names it, network resolves it for the exchange's two parties only. */
@Directive('@key(fields: "id")')
@Disclose("viewer")
@ObjectType({
  description:
    "The other party of a confirmed sister exchange you took part in: a member of the sister circle. Readable by the exchange's two parties only.",
})
export class SisterCounterpart {
  @Field(() => ID, { description: "The sister exchange's id." }) id!: string;
  @Field(() => String, { description: "Their handle in their own circle (a placeholder once they left it)." })
  handle!: string;
}

@Disclose("self")
@ObjectType({ description: "The person behind the token and their memberships." })
export class Me {
  @Field(() => ID) personId!: string;
  @Field(() => [Member]) memberships!: Member[];
}

const ACCESS_TOKEN_DESCRIPTION =
  "Access token: send as `Authorization: Bearer <token>`. It lives ACCESS_TOKEN_TTL_SECONDS (60 s by default); renew it with refreshSession before expiresAt.";
const REFRESH_TOKEN_DESCRIPTION =
  "Refresh token: pass to refreshSession for a new access token naming your current memberships and roles. It works once: each use gives a new one. Keep it secret; it is shown only here.";

@Disclose("viewer")
@ObjectType({ description: "A logged-in session: a short-lived access token and the refresh token that renews it." })
export class Session {
  @Field(() => String, { description: ACCESS_TOKEN_DESCRIPTION }) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => String, { description: REFRESH_TOKEN_DESCRIPTION }) refreshToken!: string;
  @Field(() => Date) refreshExpiresAt!: Date;
  @Field(() => Member, { description: "The membership the session was opened through." }) member!: Member;
}

@Disclose("viewer")
@ObjectType()
export class CircleFounded {
  @Field(() => Circle) circle!: Circle;
  @Field(() => Member) member!: Member;
  @Field(() => String, { description: ACCESS_TOKEN_DESCRIPTION }) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => String, { description: REFRESH_TOKEN_DESCRIPTION }) refreshToken!: string;
  @Field(() => Date) refreshExpiresAt!: Date;
}

@Disclose("stewards")
@ObjectType({ description: "An invitation code's record. The code itself is shown only once, when created." })
export class Invitation {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The last characters of the code, to tell invitations apart." })
  codeHint!: string;
  @Field(() => Int) maxUses!: number;
  @Field(() => Int) uses!: number;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@Disclose("viewer")
@ObjectType()
export class InvitationCreated {
  @Field(() => Invitation) invitation!: Invitation;
  @Field(() => String, { description: "The code to give to the invitee. It is not stored and cannot be shown again." })
  code!: string;
}

@Disclose("stewards")
@ObjectType({ description: "An API key for a third-party client. Only its hash is stored." })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The first characters of the key, to recognise it." }) prefix!: string;
  @Field(() => [ApiScope]) scopes!: ApiScope[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@Disclose("viewer")
@ObjectType()
export class ApiKeyCreated {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: "Send as the `x-api-key` header. Shown only once." }) key!: string;
}

@Disclose("public")
@ObjectType({ description: "A page of circles by slug." })
export class CirclePage extends PageOf(Circle) {}

@Disclose("public")
@ObjectType({ description: "A page of a circle's members by handle." })
export class MemberPage extends PageOf(Member) {}

@Disclose("public")
@ObjectType({ description: "A page of a circle's invitations, newest first." })
export class InvitationPage extends PageOf(Invitation) {}

@Disclose("public")
@ObjectType({ description: "A page of a circle's API keys, newest first." })
export class ApiKeyPage extends PageOf(ApiKey) {}

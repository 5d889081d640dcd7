import { Directive, Field, ID, ObjectType } from "type-graphql";
import { PageOf } from "@rhizome/kit";

/** network owns Circle; governance refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Circle")
export class GovernanceCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; governance refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Member")
export class GovernanceMember {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "An example row of a circle: what a member wrote. Visible to the circle's members." })
export class GovernanceNote {
  @Field(() => ID) id!: string;
  @Field(() => GovernanceCircle) circle!: GovernanceCircle;
  @Field(() => GovernanceMember) writtenBy!: GovernanceMember;
  @Field(() => String) text!: string;
  @Field(() => Date) writtenAt!: Date;
}

@ObjectType()
export class GovernanceNotePage extends PageOf(GovernanceNote) {}

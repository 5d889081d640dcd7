import { Directive, Field, ID, ObjectType } from "type-graphql";
import { PageOf } from "@rhizome/kit";

/** network owns Circle; defense refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Circle")
export class DefenseCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; defense refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Member")
export class DefenseMember {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "An example row of a circle: what a member wrote. Visible to the circle's members." })
export class DefenseNote {
  @Field(() => ID) id!: string;
  @Field(() => DefenseCircle) circle!: DefenseCircle;
  @Field(() => DefenseMember) writtenBy!: DefenseMember;
  @Field(() => String) text!: string;
  @Field(() => Date) writtenAt!: Date;
}

@ObjectType()
export class DefenseNotePage extends PageOf(DefenseNote) {}

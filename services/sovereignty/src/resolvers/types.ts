import { Directive, Field, ID, ObjectType } from "type-graphql";
import { PageOf } from "@rhizome/kit";

/** network owns Circle; sovereignty refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Circle")
export class SovereigntyCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; sovereignty refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Member")
export class SovereigntyMember {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "An example row of a circle: what a member wrote. Visible to the circle's members." })
export class SovereigntyNote {
  @Field(() => ID) id!: string;
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => SovereigntyMember) writtenBy!: SovereigntyMember;
  @Field(() => String) text!: string;
  @Field(() => Date) writtenAt!: Date;
}

@ObjectType()
export class SovereigntyNotePage extends PageOf(SovereigntyNote) {}

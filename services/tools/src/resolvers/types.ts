import { Directive, Field, ID, ObjectType } from "type-graphql";
import { PageOf } from "@rhizome/kit";

/** network owns Circle; tools refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Circle")
export class ToolsCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; tools refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType("Member")
export class ToolsMember {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "An example row of a circle: what a member wrote. Visible to the circle's members." })
export class ToolsNote {
  @Field(() => ID) id!: string;
  @Field(() => ToolsCircle) circle!: ToolsCircle;
  @Field(() => ToolsMember) writtenBy!: ToolsMember;
  @Field(() => String) text!: string;
  @Field(() => Date) writtenAt!: Date;
}

@ObjectType()
export class ToolsNotePage extends PageOf(ToolsNote) {}

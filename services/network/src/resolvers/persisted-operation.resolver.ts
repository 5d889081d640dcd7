import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver, UseMiddleware } from "type-graphql";
import { IsOptional, IsUUID, Length } from "class-validator";
import { MAX_PERSISTED_OPERATION_CHARS, Disclose } from "@rhizome/kit";
import { registerPersistedOperation } from "../actions/register-persisted-operation.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";

@InputType()
export class RegisterPersistedOperationInput {
  @Field(() => ID, {
    nullable: true,
    description: "The circle whose API keys may run it; null (operator only) for every API key and anonymous callers.",
  })
  @IsOptional()
  @IsUUID("all", { message: "circleId must be a circle's id" })
  circleId?: string | null;
  @Field(() => String, { description: "The operation's exact text; its id is the SHA-256 of this text, in hex." })
  @Length(1, MAX_PERSISTED_OPERATION_CHARS)
  document!: string;
}

@Disclose("viewer")
@ObjectType({ description: "A trusted document: an operation third-party clients may run by its id." })
export class PersistedOperation {
  @Field(() => ID, {
    description: "Send as `documentId` (or extensions.persistedQuery.sha256Hash) instead of the query text.",
  })
  id!: string;
  @Field(() => Date) createdAt!: Date;
}

/** Trusted documents for third-party clients (F4). */
@Resolver()
@UseMiddleware(CurrentCaller)
export class PersistedOperationResolver {
  @Disclose("members")
  @Mutation(() => PersistedOperation, {
    description:
      "Registers an operation for a circle's API keys (organizers) or for the whole hub (the operator). The hub may refuse any other operation from API keys and anonymous callers.",
  })
  async registerPersistedOperation(
    @Arg("input", () => RegisterPersistedOperationInput) input: RegisterPersistedOperationInput,
    @Ctx() context: NetworkContext,
  ): Promise<PersistedOperation> {
    const registered = await registerPersistedOperation(context, {
      circleId: input.circleId ?? null,
      document: input.document,
    });
    return Object.assign(new PersistedOperation(), registered);
  }
}

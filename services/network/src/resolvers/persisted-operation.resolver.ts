import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver, UseMiddleware } from "type-graphql";
import { IsOptional, IsUUID, Length } from "class-validator";
import { parse } from "graphql";
import {
  badInput,
  forbidden,
  MAX_PERSISTED_OPERATION_CHARS,
  persistedOperationId,
  requireRole,
  Disclose,
} from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { registerPersistedOperation } from "../store/persisted-operations.js";
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
    const circleId = input.circleId ?? null;
    if (circleId) requireRole(context.caller, circleId, "organizer");
    else if (context.caller.kind !== "operator")
      throw forbidden(
        "Only the hub's operator can register an operation for the whole hub; organizers register one for their circle.",
      );
    try {
      parse(input.document);
    } catch (error) {
      throw badInput(`The document is not a GraphQL operation: ${(error as Error).message}`);
    }
    const id = persistedOperationId(input.document);
    const createdAt = await registerPersistedOperation(context.db, circleId, id, input.document, context.clock());
    return Object.assign(new PersistedOperation(), { id, createdAt });
  }
}

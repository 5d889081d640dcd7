import { Disclose } from "@rhizome/kit";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { ToolsContext } from "../context.js";
import { isOverdue } from "../domain/loans.js";
import { renewLoan } from "../actions/renew-loan.js";
import { toLoan, toTool } from "./mappers.js";
import { Loan, Tool } from "./types.js";

@Resolver(() => Loan)
export class LoanResolver {
  @Disclose("members")
  @Mutation(() => Loan, {
    description: "Keeps the tool one more loan period; only while nobody waits for it. The borrower.",
  })
  async renewLoan(@Arg("loanId", () => ID) loanId: string, @Ctx() context: ToolsContext): Promise<Loan> {
    return toLoan(await renewLoan(context, { loanId }));
  }

  @Disclose("members")
  @FieldResolver(() => Tool)
  async tool(@Root() loan: Loan, @Ctx() context: ToolsContext): Promise<Tool> {
    return toTool((await context.tools.load(loan.toolId))!);
  }

  @Disclose("members")
  @FieldResolver(() => Boolean)
  isOverdue(@Root() loan: Loan, @Ctx() context: ToolsContext): boolean {
    return isOverdue(loan, context.clock());
  }
}

import { defineAction, requireRole } from "@rhizome/kit";
import { loanPeriod } from "../domain/loans.js";
import { libraryRulesOf, setLoanPeriod as writeLoanPeriod } from "../store/settings.js";
import type { ToolsStep } from "./access.js";

/** An organizer sets how many days a loan of a category lasts; loans already out keep their due date. */
export const setLoanPeriod = defineAction({
  authorize: ({ caller }: ToolsStep, input: { circleId: string; category: string; loanDays: number }) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: (input) => loanPeriod(input),
  apply: async ({ tx, now }, period, membership) => {
    await writeLoanPeriod(tx, membership.circleId, period.category, period.loanDays, now);
    return libraryRulesOf(tx, membership.circleId);
  },
});

import { cycleContaining, defineAction } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { confirmationProblem, situationOf } from "../domain/hand-offs.js";
import { dueAtAfter } from "../domain/loans.js";
import { applyLoanReminderChanges } from "../jobs/reminders.js";
import { passTool, type ToolRow } from "../store/catalogue.js";
import { closeCustody, decideHandOff, openCustody, type HandOffRow } from "../store/hand-offs.js";
import { endLoan, insertLoan, type LoanRow } from "../store/loans.js";
import { isCurrentMember } from "../store/members.js";
import { tellReservationsClosed } from "../store/reservation-events.js";
import { fulfilReservation } from "../store/reservations.js";
import { librarySettingsOf, loanDaysFor } from "../store/settings.js";
import { lockedHandOffOfParty, queueHeadAndPending, type ToolsStep } from "./access.js";

export interface ConfirmedHandOff {
  handOff: HandOffRow;
  /** The loan the hand-off ended, if the giver was a borrower. */
  loanEnded: LoanRow | undefined;
  /** The loan it started, unless the tool went home to its host. */
  loanStarted: LoanRow | undefined;
}

interface Passing {
  handOff: HandOffRow;
  tool: ToolRow;
  /** The cycle the hand-off happens in (a loan it ends is counted there). */
  cycle: string;
  /** When a loan it starts is due; none when the tool goes home to its host. */
  dueAt: Date | undefined;
}

/** The tool changes hands: custody, the loans it ends and starts, the receiver's place in the queue, the tool's row. */
async function passHands(step: ToolsStep, { handOff, tool, cycle, dueAt }: Passing) {
  const { tx, now } = step;
  const confirmed = await decideHandOff(tx, handOff.id, "CONFIRMED", now);
  await closeCustody(tx, tool.id, handOff.fromMemberId, now);
  await openCustody(
    tx,
    { circleId: tool.circleId, toolId: tool.id, memberId: handOff.toMemberId, handOffId: handOff.id },
    now,
  );
  const loanEnded = tool.openLoanId ? await endLoan(tx, tool.openLoanId, handOff.fromMemberId, cycle, now) : undefined;
  const loanStarted = dueAt
    ? await insertLoan(tx, {
        circleId: tool.circleId,
        toolId: tool.id,
        borrowerMemberId: handOff.toMemberId,
        hostMemberId: tool.hostMemberId,
        startedAt: now,
        startedCycle: cycle,
        dueAt,
        locationCell: tool.locationCell,
      })
    : undefined;
  const fulfilled = await fulfilReservation(tx, tool.id, handOff.toMemberId, now);
  await passTool(tx, tool.id, handOff.toMemberId, loanStarted?.id ?? null, fulfilled.length, now);
  await tellReservationsClosed(
    tx,
    tool.circleId,
    fulfilled.map((reservation) => reservation.id),
    now,
  );
  return { handOff: confirmed, loanEnded, loanStarted };
}

const confirmInTransaction = defineAction({
  authorize: async (step: ToolsStep, input: { handOffId: string }) => {
    const { handOff, tool, memberId } = await lockedHandOffOfParty(step, input.handOffId);
    const { queueHeadMemberId } = await queueHeadAndPending(step, tool.id);
    const receiverIsMember = await isCurrentMember(step.tx, tool.circleId, handOff.toMemberId);
    const loanDays = await loanDaysFor(step.tx, tool.circleId, tool.category);
    const { reminderIntervalHours } = await librarySettingsOf(step.tx, tool.circleId);
    return { handOff, tool, memberId, queueHeadMemberId, receiverIsMember, loanDays, reminderIntervalHours };
  },
  decide: (input, { handOff, tool, memberId, queueHeadMemberId, receiverIsMember, loanDays }, now) => {
    const situation = situationOf(tool, { ...handOff, queueHeadMemberId });
    const problem = confirmationProblem({ ...handOff, memberId, situation, receiverIsMember });
    if (problem) return problem;
    const goesHome = handOff.toMemberId === tool.hostMemberId;
    const passing: Passing = {
      handOff,
      tool,
      cycle: cycleContaining(now).label,
      dueAt: goesHome ? undefined : dueAtAfter(now, loanDays),
    };
    return passing;
  },
  apply: async (step, passing, { reminderIntervalHours }) => ({
    ...(await passHands(step, passing)),
    reminderIntervalHours,
    now: step.now,
  }),
  emitsEvents: true,
});

/**
 * The other party confirms: only now does the tool change hands. Under the tool's row lock the
 * rules are checked again against the tool as it is now; the giver's custody closes and the
 * receiver's opens; a loan held by the giver ends and is announced as loan.completed; unless the
 * tool goes home to its host, a loan starts for the receiver, due by the circle's rule for the
 * tool's category. One action in two steps: the hand-off commits in its transaction, then the loans'
 * reminders move in Redis, which is no part of that transaction (a failure there is logged).
 */
export async function confirmHandOff(context: ToolsContext, input: { handOffId: string }): Promise<ConfirmedHandOff> {
  const confirmed = await confirmInTransaction(context, input);
  await applyLoanReminderChanges(
    context.reminders,
    {
      ended: confirmed.loanEnded ? [confirmed.loanEnded] : [],
      started: confirmed.loanStarted ? [confirmed.loanStarted] : [],
      intervalHours: confirmed.reminderIntervalHours,
    },
    confirmed.now,
    context.logger,
  );
  context.tools.clear(confirmed.handOff.toolId);
  return confirmed;
}
